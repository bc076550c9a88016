// SageMaker pipeline-definition expressions, evaluated at run time: `{"Get": ...}` of parameters,
// execution variables and step properties, `Std:Join`, `Std:JsonGet` of property files, and the
// condition types of Condition steps (as the SageMaker Python SDK writes them).

/** What expressions of one execution can read. */
export interface ExpressionScope {
  readonly parameters: ReadonlyMap<string, string | number | boolean>;
  readonly execution: Readonly<Record<string, string>>;
  /** The properties each finished step exposes, in the shape of its Describe* response. */
  readonly stepProperties: ReadonlyMap<string, unknown>;
  /** The JSON content of each step's property files, by step then file name. */
  readonly propertyFiles: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

/**
 * The path segments of a property reference: `Outputs['evaluation'].S3Output` gives
 * `['Outputs', 'evaluation', 'S3Output']`, `TrainingJobSummaries[0]` gives `['TrainingJobSummaries', 0]`.
 */
function segments(path: string): Array<string | number> {
  return [...path.matchAll(/([^.[\]]+)|\['([^']*)'\]|\[(\d+)\]/g)].map(([, name, quoted, index]) =>
    index !== undefined ? Number(index) : (name ?? quoted ?? ''),
  );
}

function read(value: unknown, path: ReadonlyArray<string | number>, what: string): unknown {
  let current = value;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null || !(segment in current)) {
      throw new Error(`${what} does not resolve`);
    }
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

function get(target: string, scope: ExpressionScope): unknown {
  const [root, name = '', ...rest] = target.split('.');
  if (root === 'Parameters') {
    if (!scope.parameters.has(name)) throw new Error(`Parameters.${name} is not declared`);
    return scope.parameters.get(name);
  }
  if (root === 'Execution') {
    if (!(name in scope.execution)) throw new Error(`Execution.${name} is not emulated locally`);
    return scope.execution[name];
  }
  if (root === 'Steps') {
    if (!scope.stepProperties.has(name)) throw new Error(`step ${name} has not run`);
    return read(scope.stepProperties.get(name), segments(rest.join('.')), `{"Get": "${target}"}`);
  }
  throw new Error(`{"Get": "${target}"} is not a parameter, execution variable or step property`);
}

function jsonGet(argument: Record<string, unknown>, scope: ExpressionScope): unknown {
  const target = String((argument.PropertyFile as { Get?: unknown } | undefined)?.Get ?? '');
  const [, step = '', , file = ''] = target.split('.');
  const content = scope.propertyFiles.get(step)?.[file];
  if (content === undefined)
    throw new Error(`property file ${file} of step ${step} was not written`);
  return read(
    content,
    segments(String(argument.Path)),
    `Std:JsonGet ${file} ${String(argument.Path)}`,
  );
}

/**
 * The value of a definition fragment: every `Get`, `Std:Join` and `Std:JsonGet` in it replaced by
 * its run-time value. An unresolvable reference is an error naming it.
 *
 * @example
 * evaluate({ 'Std:Join': { On: '/', Values: ['s3:/', 'bucket', { Get: 'Execution.PipelineExecutionId' }] } }, scope);
 */
export function evaluate(value: unknown, scope: ExpressionScope): unknown {
  if (Array.isArray(value)) return value.map((item) => evaluate(item, scope));
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  if ('Get' in record) return get(String(record.Get), scope);
  if ('Std:Join' in record) {
    const join = record['Std:Join'] as { On: string; Values: unknown[] };
    return join.Values.map((item) => String(evaluate(item, scope))).join(join.On);
  }
  if ('Std:JsonGet' in record)
    return jsonGet(record['Std:JsonGet'] as Record<string, unknown>, scope);
  return Object.fromEntries(
    Object.entries(record).map(([key, item]) => [key, evaluate(item, scope)]),
  );
}

const COMPARISONS: Readonly<Record<string, (left: number, right: number) => boolean>> = {
  GreaterThan: (left, right) => left > right,
  GreaterThanOrEqualTo: (left, right) => left >= right,
  LessThan: (left, right) => left < right,
  LessThanOrEqualTo: (left, right) => left <= right,
};

/**
 * Whether one condition of a Condition step holds.
 *
 * @example
 * conditionHolds({ Type: 'Equals', LeftValue: { Get: 'Parameters.GroundTruthUrl' }, RightValue: '' }, scope);
 */
export function conditionHolds(
  condition: Record<string, unknown>,
  scope: ExpressionScope,
): boolean {
  const type = String(condition.Type);
  if (type === 'Not')
    return !conditionHolds(condition.Expression as Record<string, unknown>, scope);
  if (type === 'Or') {
    return (condition.Conditions as Array<Record<string, unknown>>).some((inner) =>
      conditionHolds(inner, scope),
    );
  }
  if (type === 'In') {
    const query = evaluate(condition.QueryValue, scope);
    return (evaluate(condition.Values, scope) as unknown[]).some(
      (candidate) => candidate === query,
    );
  }
  const left = evaluate(condition.LeftValue, scope);
  const right = evaluate(condition.RightValue, scope);
  if (type === 'Equals') return left === right;
  const compare = COMPARISONS[type];
  if (compare === undefined) throw new Error(`condition type ${type} is not emulated locally`);
  return compare(Number(left), Number(right));
}
