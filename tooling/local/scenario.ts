import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { parseConfig } from '../../functions/config/parse-config';

const stepOutcomeSchema = z.strictObject({
  /** The step fails with this reason (as a job that failed would). */
  fail: z.optional(z.string().check(z.minLength(1))),
  /** Content of the property files a Processing step writes, by PropertyFileName. */
  propertyFiles: z.optional(z.record(z.string(), z.unknown())),
  /** Violations a QualityCheck step finds, as Model Monitor writes them in constraint_violations.json. */
  violations: z.optional(
    z.array(
      z.strictObject({
        feature_name: z.string(),
        constraint_check_type: z.string(),
        description: z.string(),
      }),
    ),
  ),
});

const scenarioSchema = z.strictObject({
  description: z.string(),
  /** How long each step takes, in milliseconds. */
  stepDurationMs: z._default(z.number().check(z.int(), z.minimum(0), z.maximum(60_000)), 200),
  /** By pipeline id (the name's end: `training`, `batch-inference`) or full pipeline name. */
  pipelines: z.record(
    z.string(),
    z.strictObject({ steps: z.record(z.string(), stepOutcomeSchema) }),
  ),
});

export type StepOutcome = z.infer<typeof stepOutcomeSchema>;
export type Scenario = z.infer<typeof scenarioSchema>;

const SCENARIO_DIRECTORY = join(__dirname, 'scenarios');

/**
 * Reads a scenario: what each step of the local pipelines does (succeed, fail, find violations,
 * write which metrics), so that every path of the MLOps loop can be shown on purpose. `name` is a
 * file of tooling/local/scenarios/ without `.json`, or a path.
 *
 * @example
 * const scenario = loadScenario('default');
 */
export function loadScenario(name: string): Scenario {
  const file = existsSync(name) ? name : join(SCENARIO_DIRECTORY, `${name}.json`);
  if (!existsSync(file)) {
    throw new Error(`No scenario ${name}: give a file or one of tooling/local/scenarios/*.json`);
  }
  return parseConfig(scenarioSchema, JSON.parse(readFileSync(file, 'utf8')), file);
}

/**
 * What the scenario says one step of one pipeline does; a step it does not mention succeeds.
 *
 * @example
 * stepOutcome(scenario, 'mlops-control-plane-local-training', 'Evaluate').propertyFiles;
 */
export function stepOutcome(
  scenario: Scenario,
  pipelineName: string,
  stepName: string,
): StepOutcome {
  const entry = Object.entries(scenario.pipelines).find(
    ([key]) => pipelineName === key || pipelineName.endsWith(`-${key}`),
  );
  return entry?.[1].steps[stepName] ?? {};
}
