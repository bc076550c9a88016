/** One thing wrong with a pipeline definition, located well enough to fix it. */
export interface DefinitionProblem {
  /** The step it belongs to; absent for problems of the pipeline as a whole. */
  readonly step?: string;
  /** JSON path in the definition, e.g. `Steps[5].Arguments.ProcessingInputs[0].S3Input.S3Uri`. */
  readonly path: string;
  readonly message: string;
}

/** `step "Evaluate" at Steps[5].Arguments...: references unknown parameter "Foo"` */
export function describeProblem(problem: DefinitionProblem): string {
  const where =
    problem.step === undefined ? problem.path : `step "${problem.step}" at ${problem.path}`;
  return `${where}: ${problem.message}`;
}
