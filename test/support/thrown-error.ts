/** The error a call throws, for assertions on its fields; fails the test when it throws none. */
export function thrownError(call: () => unknown): Error {
  try {
    call();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`threw a non-error: ${String(error)}`, { cause: error });
  }
  throw new Error('expected the call to throw, and it returned');
}
