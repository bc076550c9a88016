import type * as z from 'zod/mini';
import { ConfigurationError, describeIssues } from '../errors';

/**
 * Validates configuration once, at the edge, and names every bad key in the error.
 *
 * @example
 * const config = parseConfig(dataUploadConfigSchema, JSON.parse(text), 'custom.mlops.dataUpload');
 */
export function parseConfig<S extends z.ZodMiniType>(
  schema: S,
  raw: unknown,
  source: string,
): z.output<S> {
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new ConfigurationError(
      `Invalid configuration in ${source}: ${describeIssues(result.error)}`,
    );
  }
  return result.data;
}

/** Reads a JSON configuration document that the deployment put into an environment variable. */
export function parseConfigFromEnvironment<S extends z.ZodMiniType>(
  schema: S,
  environment: NodeJS.ProcessEnv,
  variable: string,
): z.output<S> {
  const text = requireEnvironment(environment, variable);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`Environment variable ${variable} is not JSON`, { cause: error });
  }
  return parseConfig(schema, raw, variable);
}

/** A plain environment value the deployment must set (a topic ARN, the region). */
export function requireEnvironment(environment: NodeJS.ProcessEnv, variable: string): string {
  const value = environment[variable];
  if (value === undefined || value === '') {
    throw new ConfigurationError(`Environment variable ${variable} is not set`);
  }
  return value;
}
