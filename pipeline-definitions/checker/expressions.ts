import { isJsonObject, type JsonValue } from './json-value';

/** A value read at run time: `{"Get": ...}`, directly or inside `Std:Join` / `Std:JsonGet`. */
export type Reference =
  | { readonly kind: 'parameter'; readonly path: string; readonly name: string }
  | { readonly kind: 'execution'; readonly path: string; readonly name: string }
  | {
      readonly kind: 'step-property';
      readonly path: string;
      readonly step: string;
      readonly property: string;
    }
  | {
      readonly kind: 'property-file';
      readonly path: string;
      readonly step: string;
      readonly file: string;
    }
  | { readonly kind: 'malformed'; readonly path: string; readonly message: string };

/** Names of `{"Get": "Execution.<name>"}` in the SageMaker Python SDK's ExecutionVariables. */
const EXECUTION_VARIABLES: ReadonlySet<string> = new Set([
  'StartDateTime',
  'CurrentDateTime',
  'PipelineName',
  'PipelineArn',
  'PipelineExecutionId',
  'PipelineExecutionArn',
  'TrainingJobName',
  'ProcessingJobName',
]);

const STEP_PROPERTY = /^Steps\.([^.[\]]+)\.(.+)$/;
const PROPERTY_FILE = /^Steps\.([^.[\]]+)\.PropertyFiles\.([^.[\]]+)$/;

/**
 * Every reference in `value`, with the JSON path where it occurs. Objects that look like a
 * function but are not well formed come back as `malformed`, so that no typo goes unnoticed.
 */
export function findReferences(value: JsonValue | undefined, path: string): Reference[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => findReferences(item, `${path}[${index}]`));
  }
  if (!isJsonObject(value)) return [];
  if ('Get' in value) return [getReference(value.Get, `${path}.Get`)];
  if ('Std:Join' in value) return joinReferences(value['Std:Join'], `${path}.Std:Join`);
  if ('Std:JsonGet' in value) return jsonGetReferences(value['Std:JsonGet'], `${path}.Std:JsonGet`);
  const unknownFunction = Object.keys(value).find((key) => key.startsWith('Std:'));
  if (unknownFunction !== undefined) {
    return [{ kind: 'malformed', path, message: `unknown function "${unknownFunction}"` }];
  }
  return Object.entries(value).flatMap(([key, item]) => findReferences(item, `${path}.${key}`));
}

function getReference(target: JsonValue | undefined, path: string): Reference {
  if (typeof target !== 'string') {
    return { kind: 'malformed', path, message: 'a Get must name what it reads as a string' };
  }
  const [root, ...rest] = target.split('.');
  const name = rest.join('.');
  if (root === 'Parameters' && rest.length === 1 && name !== '') {
    return { kind: 'parameter', path, name };
  }
  if (root === 'Execution' && rest.length === 1) {
    return EXECUTION_VARIABLES.has(name)
      ? { kind: 'execution', path, name }
      : { kind: 'malformed', path, message: `unknown execution variable "${target}"` };
  }
  const stepProperty = STEP_PROPERTY.exec(target);
  if (stepProperty?.[1] !== undefined && stepProperty[2] !== undefined) {
    return { kind: 'step-property', path, step: stepProperty[1], property: stepProperty[2] };
  }
  return {
    kind: 'malformed',
    path,
    message: `"${target}" is not a Parameters.<name>, Execution.<name> or Steps.<step>.<property> reference`,
  };
}

function joinReferences(join: JsonValue | undefined, path: string): Reference[] {
  if (!isJsonObject(join) || typeof join.On !== 'string' || !Array.isArray(join.Values)) {
    return [{ kind: 'malformed', path, message: 'Std:Join needs a string On and a Values array' }];
  }
  return findReferences(join.Values, `${path}.Values`);
}

function jsonGetReferences(jsonGet: JsonValue | undefined, path: string): Reference[] {
  if (!isJsonObject(jsonGet) || typeof jsonGet.Path !== 'string' || jsonGet.Path === '') {
    return [{ kind: 'malformed', path, message: 'Std:JsonGet needs a non-empty Path' }];
  }
  // Newer SDKs may read a JSON file by S3 URI instead of a property file.
  if ('S3Uri' in jsonGet) return findReferences(jsonGet.S3Uri, `${path}.S3Uri`);
  const propertyFile = jsonGet.PropertyFile;
  const target = isJsonObject(propertyFile) ? propertyFile.Get : undefined;
  const match = typeof target === 'string' ? PROPERTY_FILE.exec(target) : null;
  if (match?.[1] === undefined || match[2] === undefined) {
    return [
      {
        kind: 'malformed',
        path: `${path}.PropertyFile`,
        message: 'Std:JsonGet needs PropertyFile {"Get": "Steps.<step>.PropertyFiles.<name>"}',
      },
    ];
  }
  return [
    { kind: 'property-file', path: `${path}.PropertyFile.Get`, step: match[1], file: match[2] },
  ];
}
