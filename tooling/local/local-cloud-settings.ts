import { join } from 'node:path';
import {
  TRAINING_SOURCES,
  type TrainingSource,
} from '../../pipeline-definitions/feature-store-contract';
import { localCloudStatus } from './control-client';
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
  dynamoDb: { variable: 'LOCAL_DYNAMODB_PORT', fallback: 8000, what: 'DynamoDB (dynalite)' },
  eventBridge: {
    variable: 'LOCAL_EVENTBRIDGE_PORT',
    fallback: 4587,
    what: 'EventBridge PutEvents and rules',
  },
  stackApi: {
    variable: 'LOCAL_STACK_API_PORT',
    fallback: 4581,
    what: 'CloudFormation, STS and Lambda configuration (mlops)',
  },
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
  /** The training source when the local stage is packaged with featureStore=true; off if absent. */
  readonly featureStore?: TrainingSource;
  /** `--param` values for the local stage, as `npm start -- --param="name=value"` gives them. */
  readonly parameters: Readonly<Record<string, string>>;
}

const REPOSITORY_ROOT = join(__dirname, '..', '..');

/**
 * The local cloud's settings from the environment: `LOCAL_STATE_DIR` (default `.local`),
 * `LOCAL_SCENARIO` (default `default`), a `LOCAL_*_PORT` per service, and `LOCAL_FEATURE_STORE`
 * (`input` or `offline-store`: package the stage with the feature store on and that training
 * source; unset or empty: off); and from the command line, the `--param="name=value"` options
 * the local stage is packaged with.
 *
 * @example
 * const settings = localCloudSettings(process.env, process.argv.slice(2));
 */
export function localCloudSettings(
  environment: NodeJS.ProcessEnv,
  commandLine: readonly string[] = [],
): LocalCloudSettings {
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
  const featureStore = environment.LOCAL_FEATURE_STORE || undefined;
  if (
    featureStore !== undefined &&
    !(TRAINING_SOURCES as readonly string[]).includes(featureStore)
  ) {
    throw new Error(
      `LOCAL_FEATURE_STORE=${featureStore} is not a training source (${TRAINING_SOURCES.join(', ')}); leave it empty for no feature store`,
    );
  }
  return {
    stateDirectory: environment.LOCAL_STATE_DIR || join(REPOSITORY_ROOT, '.local'),
    ports,
    scenario: environment.LOCAL_SCENARIO || 'default',
    accountId: '000000000000',
    recipients: { reviewer: 'data-scientist@mlops.local', ops: 'ops@mlops.local' },
    ...(featureStore === undefined ? {} : { featureStore: featureStore as TrainingSource }),
    parameters: packagingParameters(commandLine),
  };
}

/** `--param="name=value"` or `--param name=value`, as `serverless package` takes them. */
function packagingParameters(commandLine: readonly string[]): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (let index = 0; index < commandLine.length; index += 1) {
    const option = commandLine[index] ?? '';
    const given =
      option === '--param' ? commandLine[(index += 1)] : /^--param=(.*)$/s.exec(option)?.[1];
    const [, name, value] = /^([^=]+)=(.*)$/s.exec(given ?? '') ?? [];
    if (name === undefined || value === undefined) {
      throw new Error(
        `${option}: the local cloud takes only --param="name=value" (a parameter of serverless.yml for the local stage)`,
      );
    }
    parameters[name] = value;
  }
  return parameters;
}

/**
 * Fails, before anything starts, when a port is taken: when another local cloud of this project
 * holds them, says so (its process and state folder) and what to do; else names each service,
 * port and the variable that moves it.
 */
export async function assertPortsFree(
  ports: Readonly<Record<LocalPortName, number>>,
): Promise<void> {
  const running = await localCloudStatus(`http://127.0.0.1:${ports.control}`);
  if (running !== undefined) {
    throw new Error(
      [
        `Another npm start is running (process ${running.pid}, state in ${running.stateDirectory}).`,
        'Use it (npm run demo, npm run drop, npm run event), or stop it with Ctrl-C in its terminal.',
        `A second one needs ports and a state folder of its own: ${(
          Object.entries(ports) as Array<[LocalPortName, number]>
        )
          .map(([name, port]) => `${LOCAL_PORTS[name].variable}=${port + 1000}`)
          .join(' ')} LOCAL_STATE_DIR=.local/second npm start`,
      ].join('\n'),
    );
  }
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
