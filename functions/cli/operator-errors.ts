import { StackNotFoundError } from '../aws/stack-outputs';
import { ConfigurationError } from '../errors';

/** What the command's exit code says: done, failed, or asked wrongly. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** The command was asked wrongly (an argument, an option, a date): nothing was done. Exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The command could not do its work; the message says what to do about it. Exit 1. */
export class OperatorError extends Error {
  override readonly name = 'OperatorError';
}

/** Where the command was pointed, for messages that say what to change. */
export interface Target {
  readonly stackName: string;
  readonly region: string | undefined;
  readonly local: boolean;
}

/**
 * One line a person can act on, and the exit code, for whatever stopped a command: the errors an
 * operator meets (no credentials, a stack that is not there, no local cloud) in words, any other
 * error by its name and message.
 *
 * @example
 * const { line, exitCode } = operatorMessageOf(error, target);
 */
export function operatorMessageOf(
  error: unknown,
  target: Target,
): { readonly line: string; readonly exitCode: number } {
  if (error instanceof UsageError) return { line: error.message, exitCode: EXIT.usage };
  if (error instanceof OperatorError) return { line: error.message, exitCode: EXIT.failed };
  if (error instanceof StackNotFoundError) {
    return {
      line: `Stack ${target.stackName} not found in ${target.region ?? 'the default region'}: check --stage and --region (deploy it with serverless deploy --stage <stage>)${localStageHint(target)}.`,
      exitCode: EXIT.failed,
    };
  }
  if (error instanceof ConfigurationError) {
    return {
      line: `The deployed configuration is unusable: ${error.message}`,
      exitCode: EXIT.failed,
    };
  }
  const name = (error as Error | undefined)?.name ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'CredentialsProviderError' || /Could not load credentials/.test(message)) {
    return {
      line: 'No AWS credentials found: set AWS_PROFILE (or run aws sso login), or use --local for npm start.',
      exitCode: EXIT.failed,
    };
  }
  if (['ExpiredToken', 'ExpiredTokenException', 'UnrecognizedClientException'].includes(name)) {
    return {
      line: `AWS refused the credentials (${name}): renew them (aws sso login) and try again.`,
      exitCode: EXIT.failed,
    };
  }
  return { line: `${name || 'Error'}: ${message}`, exitCode: EXIT.failed };
}

// E-mails of the local cloud name its stage, `local`; the command then needs --local to reach it.
function localStageHint(target: Target): string {
  return !target.local && target.stackName.endsWith('-local')
    ? ", or add --local for npm start's local cloud"
    : '';
}
