import type { OperatorClientSettings } from '../aws/operator-clients';
import { OperatorError } from './operator-errors';

/** A running `npm start`: its stack, its region and where the SDK reaches each of its services. */
export interface LocalCloud {
  readonly stackName: string;
  readonly region: string;
  readonly clientSettings: NonNullable<OperatorClientSettings['local']>;
}

interface LocalCloudStatus {
  readonly localCloud?: string;
  readonly stackName?: string;
  readonly region?: string;
  readonly endpoints?: Readonly<Record<string, string>>;
}

const DEFAULT_CONTROL_PORT = 4580;
// The local cloud checks no signature; the SDK still wants credentials to sign with.
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * Asks the local cloud's control API (`GET /status`, port LOCAL_CONTROL_PORT) which stack it
 * runs and where its services listen; says what to do when none runs there.
 *
 * @example
 * const local = await connectToLocalCloud(process.env);
 */
export async function connectToLocalCloud(environment: NodeJS.ProcessEnv): Promise<LocalCloud> {
  const port = environment.LOCAL_CONTROL_PORT || String(DEFAULT_CONTROL_PORT);
  const url = `http://127.0.0.1:${port}/status`;
  let status: LocalCloudStatus;
  try {
    status = (await (await fetch(url)).json()) as LocalCloudStatus;
  } catch (error) {
    throw new OperatorError(
      `No local cloud answers on 127.0.0.1:${port}: start it with npm start (in another terminal), or set LOCAL_CONTROL_PORT to the port it uses.`,
      { cause: error },
    );
  }
  const endpoints = status.endpoints ?? {};
  const endpoint = (name: string): string => {
    const value = endpoints[name];
    if (value === undefined || status.stackName === undefined || status.region === undefined) {
      throw new OperatorError(
        `The local cloud on 127.0.0.1:${port} does not say where its ${name} listens: restart npm start with this version.`,
      );
    }
    return value;
  };
  return {
    stackName: String(status.stackName),
    region: String(status.region),
    clientSettings: {
      credentials: LOCAL_CREDENTIALS,
      endpoints: {
        cloudFormation: endpoint('stackApi'),
        sts: endpoint('stackApi'),
        lambda: endpoint('stackApi'),
        sageMaker: endpoint('sageMaker'),
        s3: endpoint('s3'),
        sqs: endpoint('sqs'),
        dynamoDb: endpoint('dynamoDb'),
        eventBridge: endpoint('eventBridge'),
      },
    },
  };
}
