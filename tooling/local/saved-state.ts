import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/**
 * One JSON file of local mode's state under `.local/`: read once at start, written whole to a
 * temporary file renamed over it, so that a process that dies never leaves half a file. Writes
 * asked for in one turn of the event loop are made once, in the next.
 *
 * @example
 * const runs = savedState<SavedSageMaker>('.local/sagemaker.json', () => sageMaker.saved());
 * runs.changed(); // written soon
 * runs.save(); // written now
 */
export function savedState<T>(file: string, current: () => T) {
  let scheduled: NodeJS.Immediate | undefined;

  function save(): void {
    if (scheduled !== undefined) clearImmediate(scheduled);
    scheduled = undefined;
    const temporary = `${file}.writing`;
    writeFileSync(temporary, JSON.stringify(current()));
    renameSync(temporary, file);
  }

  return {
    save,
    changed(): void {
      scheduled ??= setImmediate(save);
    },
  };
}

/**
 * What an earlier session saved, or undefined for a first start.
 *
 * @example
 * const saved = readSavedState<SavedSageMaker>('.local/sagemaker.json');
 */
export function readSavedState<T>(file: string): T | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw new Error(
      `${file} is not readable JSON (${(error as Error).message}): remove it, or forget all local state with npm run local:reset`,
      { cause: error },
    );
  }
}
