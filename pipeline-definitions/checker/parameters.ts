import type { DefinitionProblem } from './definition-problem';
import { isJsonObject, type JsonValue } from './json-value';

/**
 * EventBridge pipeline targets accept only this (no underscore), and the pipeline-definition
 * schema allows at most 64 characters; a name that passes both works on every start path.
 */
export const PARAMETER_NAME = /^[A-Za-z0-9](-*[A-Za-z0-9])*$/;
export const PARAMETER_NAME_MAX_LENGTH = 64;

const DEFAULT_VALUE_CHECKS: Readonly<Record<string, (value: JsonValue) => boolean>> = {
  String: (value) => typeof value === 'string',
  Integer: (value) => Number.isInteger(value),
  Float: (value) => typeof value === 'number',
  Boolean: (value) => typeof value === 'boolean',
};

/** The declared parameter names, and the problems of the Parameters list. */
export function declaredParameters(parameters: JsonValue | undefined): {
  names: Set<string>;
  problems: DefinitionProblem[];
} {
  const names = new Set<string>();
  const problems: DefinitionProblem[] = [];
  if (!Array.isArray(parameters)) {
    return {
      names,
      problems: [{ path: 'Parameters', message: 'a definition needs a Parameters array' }],
    };
  }
  parameters.forEach((parameter, index) => {
    const path = `Parameters[${index}]`;
    if (!isJsonObject(parameter) || typeof parameter.Name !== 'string') {
      problems.push({ path, message: 'a parameter is an object with a string Name' });
      return;
    }
    const { Name: name, Type: type, DefaultValue: defaultValue } = parameter;
    if (!PARAMETER_NAME.test(name) || name.length > PARAMETER_NAME_MAX_LENGTH) {
      problems.push({
        path: `${path}.Name`,
        message: `parameter name "${name}" must be 1-${PARAMETER_NAME_MAX_LENGTH} letters, digits and inner hyphens (no "_": EventBridge targets reject it)`,
      });
    }
    if (names.has(name))
      problems.push({ path: `${path}.Name`, message: `parameter "${name}" is declared twice` });
    names.add(name);
    const fitsType = typeof type === 'string' ? DEFAULT_VALUE_CHECKS[type] : undefined;
    if (fitsType === undefined) {
      problems.push({
        path: `${path}.Type`,
        message: `parameter "${name}" has Type ${JSON.stringify(type)}; use ${Object.keys(DEFAULT_VALUE_CHECKS).join(', ')}`,
      });
    } else if (defaultValue !== undefined && !fitsType(defaultValue)) {
      problems.push({
        path: `${path}.DefaultValue`,
        message: `default ${JSON.stringify(defaultValue)} of parameter "${name}" is not a ${String(type)}`,
      });
    }
  });
  return { names, problems };
}
