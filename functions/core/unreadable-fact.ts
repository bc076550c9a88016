/**
 * A fact an e-mail would show that could not be read from AWS, and why. E-mails name what they
 * lack instead of not being sent: a failure e-mail without its parameters beats none.
 */
export interface UnreadableFact {
  /** What is missing, in words: `the failed steps`. */
  readonly what: string;
  /** The call and its error: `ListPipelineExecutionSteps: ThrottlingException: Rate exceeded`. */
  readonly error: string;
}

/** The section listing what could not be read, or none when everything was. */
export function unreadableSection(unreadable: readonly UnreadableFact[]) {
  return unreadable.length === 0
    ? []
    : [
        {
          title: 'Not known (AWS could not be read)',
          lines: unreadable.map((fact) => `- ${fact.what}: ${fact.error}`),
        },
      ];
}
