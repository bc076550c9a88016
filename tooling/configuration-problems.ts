import type * as z from 'zod/mini';
import { ConfigurationError } from '../functions/errors';

/** A key under `custom.mlops`, as a path: `['dataUpload', 'routes', 0, 'windowSeconds']`. */
export type ConfigPath = readonly (string | number)[];

/** One thing wrong with the deployment configuration: the key, and what is wrong with its value. */
export interface ConfigProblem {
  readonly path: ConfigPath;
  readonly message: string;
}

/** Words that say where a problem's value came from, e.g. the `--param` it was given with. */
export type DescribeProblem = (problem: ConfigProblem) => string;

/**
 * The deployment configuration is invalid. Each problem is listed once, by its key; `problems`
 * keeps them apart so that the packaging plugin can say which `--param` each came from.
 */
export class InvalidDeploymentConfigError extends ConfigurationError {
  constructor(
    readonly problems: readonly ConfigProblem[],
    describe: DescribeProblem,
  ) {
    super(invalidConfigurationMessage(problems.map(describe)));
  }
}

/**
 * One message for the lines that each say what is wrong, each line once.
 *
 * @example
 * invalidConfigurationMessage(['custom.mlops.retraining.cooldownHours: must be a whole number']);
 */
export function invalidConfigurationMessage(lines: readonly string[]): string {
  const unique = [...new Set(lines)];
  return unique.length === 1
    ? `Invalid configuration: ${unique[0]}`
    : `Invalid configuration (${unique.length} problems):\n${unique.map((line) => `  - ${line}`).join('\n')}`;
}

/** The key as serverless.yml spells it: `custom.mlops.dataUpload.routes[0].windowSeconds`. */
function configKey(path: ConfigPath): string {
  return path.reduce<string>(
    (key, part) => (typeof part === 'number' ? `${key}[${part}]` : `${key}.${part}`),
    'custom.mlops',
  );
}

/** The items of the configuration that have a name, so that a problem can name its item. */
const NAMED_ITEMS: Readonly<Record<string, string>> = {
  routes: 'route',
  schedules: 'schedule',
  alarms: 'alarm',
};

/**
 * The named item a key belongs to, e.g. `route training-data` for
 * `custom.mlops.dataUpload.routes[0].windowSeconds`, read from the configuration as given.
 */
function itemNameOf(path: ConfigPath, mlops: unknown): string | undefined {
  for (let index = 0; index < path.length - 1; index += 1) {
    const kind = NAMED_ITEMS[String(path[index])];
    const position = path[index + 1];
    if (kind === undefined || typeof position !== 'number') continue;
    const name = (
      valueAtConfigPath(mlops, path.slice(0, index + 2)) as { name?: unknown } | undefined
    )?.name;
    if (typeof name === 'string' && name !== '') return `${kind} ${name}`;
  }
  return undefined;
}

/** The key with the name of its item, when it has one: `custom.mlops...routes[0].windowSeconds (route training-data)`. */
export function namedKey(path: ConfigPath, mlops: unknown): string {
  const item = itemNameOf(path, mlops);
  return item === undefined ? configKey(path) : `${configKey(path)} (${item})`;
}

/**
 * What a configuration document holds at a path of keys and list indexes, if anything (the
 * pipeline checker's `valueAt` follows object keys of a JSON value only).
 */
export function valueAtConfigPath(document: unknown, path: ConfigPath): unknown {
  return path.reduce<unknown>(
    (value, part) =>
      typeof value === 'object' && value !== null
        ? (value as Record<string | number, unknown>)[part]
        : undefined,
    document,
  );
}

/**
 * Parses one section with its schema; the problems carry paths from `custom.mlops` down.
 *
 * @example
 * const parsed = parseSection(retrainingConfigSchema, mlops.retraining ?? {}, 'retraining');
 */
export function parseSection<S extends z.ZodMiniType>(
  schema: S,
  raw: unknown,
  section: string,
): { readonly value: z.output<S> } | { readonly problems: ConfigProblem[] } {
  const result = schema.safeParse(raw);
  if (result.success) return { value: result.data };
  return {
    problems: result.error.issues.map((issue) => ({
      path: [
        section,
        ...issue.path.map((part) => (typeof part === 'number' ? part : String(part))),
      ],
      message: issue.message,
    })),
  };
}
