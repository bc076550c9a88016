import type { DefinitionProblem } from './definition-problem';
import { isJsonObject, type JsonObject, type JsonValue } from './json-value';

/** A step of the pipeline, top-level or inside a condition branch. */
export interface DeclaredStep {
  readonly name: string;
  readonly type: string;
  readonly path: string;
  readonly definition: JsonObject;
  /** The Condition step whose IfSteps or ElseSteps hold this step. */
  readonly condition?: string;
}

// From the AWS pipeline-definition JSON schema (StepName).
const STEP_NAME = /^[A-Za-z0-9\-_]{1,64}$/;
const BRANCHES = ['IfSteps', 'ElseSteps'] as const;

/**
 * Every step with its JSON path, condition branches included, and the problems of their names:
 * entries that are not steps, invalid names, and names used twice.
 */
export function declaredSteps(steps: JsonValue | undefined): {
  steps: DeclaredStep[];
  problems: DefinitionProblem[];
} {
  const problems: DefinitionProblem[] = [];
  if (!Array.isArray(steps) || steps.length === 0) {
    return {
      steps: [],
      problems: [{ path: 'Steps', message: 'a definition needs a non-empty Steps array' }],
    };
  }
  const found = collectSteps(steps, 'Steps', undefined, problems);
  const firstPath = new Map<string, string>();
  for (const step of found) {
    if (!STEP_NAME.test(step.name)) {
      problems.push({
        step: step.name,
        path: `${step.path}.Name`,
        message: `step names are 1-64 letters, digits, "-" or "_"`,
      });
    }
    const earlier = firstPath.get(step.name);
    if (earlier === undefined) {
      firstPath.set(step.name, step.path);
    } else {
      problems.push({
        step: step.name,
        path: `${step.path}.Name`,
        message: `step name "${step.name}" is already used at ${earlier}`,
      });
    }
  }
  return { steps: found, problems };
}

function collectSteps(
  entries: JsonValue[],
  path: string,
  condition: string | undefined,
  problems: DefinitionProblem[],
): DeclaredStep[] {
  return entries.flatMap((entry, index) => {
    const entryPath = `${path}[${index}]`;
    if (!isJsonObject(entry) || typeof entry.Name !== 'string' || typeof entry.Type !== 'string') {
      problems.push({
        ...(condition === undefined ? {} : { step: condition }),
        path: entryPath,
        message: 'is not a step: a step is an object with a string Name and Type',
      });
      return [];
    }
    const step: DeclaredStep = {
      name: entry.Name,
      type: entry.Type,
      path: entryPath,
      definition: entry,
      ...(condition === undefined ? {} : { condition }),
    };
    return [step, ...branchSteps(step, problems)];
  });
}

function branchSteps(step: DeclaredStep, problems: DefinitionProblem[]): DeclaredStep[] {
  if (step.type !== 'Condition') return [];
  const argumentsValue = step.definition.Arguments;
  return BRANCHES.flatMap((branch) => {
    const entries = isJsonObject(argumentsValue) ? argumentsValue[branch] : undefined;
    const branchPath = `${step.path}.Arguments.${branch}`;
    if (!Array.isArray(entries)) {
      problems.push({
        step: step.name,
        path: branchPath,
        message: `a Condition step needs an ${branch} array`,
      });
      return [];
    }
    return collectSteps(entries, branchPath, step.name, problems);
  });
}
