import {
  type ConfigPath,
  type ConfigProblem,
  invalidConfigurationMessage,
  namedKey,
  valueAtConfigPath,
} from './configuration-problems';

/**
 * Where the `${param:...}` values of one packaging run come from, read before Serverless resolved
 * them: a problem in a value that came from a parameter is reported under the parameter the user
 * typed, not under the key it was copied into.
 */
export interface ParameterSources {
  /** `custom.mlops` as written in serverless.yml, variables unresolved. */
  readonly writtenMlops: unknown;
  /** `params` as written in serverless.yml, by stage (and `default`). */
  readonly writtenParams: unknown;
  /** Each `--param` given on the command line, as `name=value`. */
  readonly commandLine: readonly string[];
  readonly stage: string;
}

const PARAMETER_REFERENCE = /\$\{param:([A-Za-z0-9_-]+)/g;

/**
 * The problems as one message, those of a value that is one parameter under that parameter and
 * where it was set (once, with every key that uses it), the others under their key.
 *
 * @example
 * describeProblemsWithParameters(error.problems, resolvedMlops, sources);
 * // 'Invalid configuration: parameter reviewerEmail (--param="reviewerEmail=x"): Invalid email address; used by custom.mlops.notifications.recipients[0].email'
 */
export function describeProblemsWithParameters(
  problems: readonly ConfigProblem[],
  mlops: unknown,
  sources: ParameterSources,
): string {
  const keysByLine = new Map<string, string[]>();
  for (const problem of problems) {
    const parameters = parametersOf(problem.path, sources.writtenMlops);
    const key = namedKey(problem.path, mlops);
    const line =
      parameters.whole === undefined
        ? `${key}${builtFrom(parameters.within, sources)}: ${problem.message}`
        : `parameter ${parameters.whole} (${parameterOrigin(parameters.whole, sources)}): ${problem.message}`;
    keysByLine.set(line, [...(keysByLine.get(line) ?? []), key]);
  }
  const lines = [...keysByLine].map(([line, keys]) =>
    line.startsWith('parameter ') ? `${line}; used by ${keys.join(' and ')}` : line,
  );
  return invalidConfigurationMessage(lines);
}

/**
 * The parameters a key's value was written with: `whole` when the value is exactly one
 * `${param:name}`, else those it was `within` (a value such as `s3://${param:dataBucket}/in/`).
 * A key under a written value (an item of a list that came from a parameter) has its parameters.
 */
function parametersOf(
  path: ConfigPath,
  writtenMlops: unknown,
): { readonly whole?: string; readonly within: string[] } {
  for (let length = path.length; length > 0; length -= 1) {
    const written = valueAtConfigPath(writtenMlops, path.slice(0, length));
    if (typeof written !== 'string') continue;
    const within = [...written.matchAll(PARAMETER_REFERENCE)].map((match) => String(match[1]));
    const whole = /^\$\{param:([A-Za-z0-9_-]+)\}$/.exec(written.trim())?.[1];
    return whole === undefined ? { within } : { whole, within };
  }
  return { within: [] };
}

function builtFrom(parameters: readonly string[], sources: ParameterSources): string {
  if (parameters.length === 0) return '';
  const origins = parameters.map((name) => `parameter ${name} (${parameterOrigin(name, sources)})`);
  return `, built from ${origins.join(' and ')}`;
}

/**
 * Where a parameter's value was set, with the precedence Serverless gives them: the command line,
 * then the stage's `params`, then `params.default`.
 *
 * @example
 * parameterOrigin('reviewerEmail', sources); // '--param="reviewerEmail=not-an-address"'
 */
export function parameterOrigin(name: string, sources: ParameterSources): string {
  const typed = sources.commandLine.filter((option) => option.startsWith(`${name}=`)).at(-1);
  if (typed !== undefined) return `--param="${typed}"`;
  for (const stage of [sources.stage, 'default']) {
    if (valueAtConfigPath(sources.writtenParams, [stage, name]) !== undefined) {
      return `params.${stage}.${name} in serverless.yml`;
    }
  }
  return 'not set';
}
