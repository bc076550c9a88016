import { join } from 'node:path';
import { isPortTaken } from './loopback-port';

/** The services of the local cloud that listen on a port, with the variable that moves each. */
export const LOCAL_PORTS = {
  s3: { variable: 'LOCAL_S3_PORT', fallback: 4569, what: 'S3 (s3rver)' },
  sageMaker: { variable: 'LOCAL_SAGEMAKER_PORT', fallback: 4599, what: 'SageMaker' },
  sns: { variable: 'LOCAL_SNS_PORT', fallback: 4575, what: 'SNS' },
  sqs: { variable: 'LOCAL_SQS_PORT', fallback: 4576, what: 'SQS' },
  smtp: { variable: 'LOCAL_SMTP_PORT', fallback: 1025, what: 'SMTP of the inbox (maildev)' },
  inbox: { variable: 'LOCAL_INBOX_PORT', fallback: 1080, what: 'inbox web page (maildev)' },
  control: { variable: 'LOCAL_CONTROL_PORT', fallback: 4580, what: 'local control API' },
} as const;

type LocalPortName = keyof typeof LOCAL_PORTS;

export interface LocalCloudSettings {
  /** Everything local mode keeps: the package, S3 objects, the inbox, .eml copies. */
  readonly stateDirectory: string;
  readonly ports: Readonly<Record<LocalPortName, number>>;
  /** A file of tooling/local/scenarios/ (without .json) or a path. */
  readonly scenario: string;
  readonly accountId: string;
  /** Recipients the local stage is packaged with, so the template has e-mail subscriptions. */
  readonly recipients: { readonly reviewer: string; readonly ops: string };
}

const REPOSITORY_ROOT = join(__dirname, '..', '..');

/**
 * The local cloud's settings from the environment: `LOCAL_STATE_DIR` (default `.local`),
 * `LOCAL_SCENARIO` (default `default`) and a `LOCAL_*_PORT` per service.
 *
 * @example
 * const settings = localCloudSettings(process.env);
 */
export function localCloudSettings(environment: NodeJS.ProcessEnv): LocalCloudSettings {
  const ports = Object.fromEntries(
    Object.entries(LOCAL_PORTS).map(([name, port]) => {
      const text = environment[port.variable];
      const value = text === undefined || text === '' ? port.fallback : Number(text);
      if (!Number.isInteger(value) || value < 1 || value > 65535) {
        throw new Error(`${port.variable}=${String(text)} is not a port number (1-65535)`);
      }
      return [name, value];
    }),
  ) as Record<LocalPortName, number>;
  return {
    stateDirectory: environment.LOCAL_STATE_DIR || join(REPOSITORY_ROOT, '.local'),
    ports,
    scenario: environment.LOCAL_SCENARIO || 'default',
    accountId: '000000000000',
    recipients: { reviewer: 'data-scientist@mlops.local', ops: 'ops@mlops.local' },
  };
}

/**
 * Fails, before anything starts, when a port is taken, naming the service, the port and the
 * variable that moves it.
 */
export async function assertPortsFree(
  ports: Readonly<Record<LocalPortName, number>>,
): Promise<void> {
  const taken: string[] = [];
  for (const [name, port] of Object.entries(ports) as Array<[LocalPortName, number]>) {
    if (await isPortTaken(port)) {
      const { variable, what } = LOCAL_PORTS[name];
      taken.push(
        `port ${port} (${what}) is in use: stop what uses it or choose another, e.g. ${variable}=${port + 1000} npm start`,
      );
    }
  }
  if (taken.length > 0) throw new Error(`Cannot start the local cloud:\n  ${taken.join('\n  ')}`);
}
