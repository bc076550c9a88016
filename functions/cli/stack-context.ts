import { type LedgerConfig, ledgerConfigSchema } from '../config/ledger-config';
import { type DataUploadConfig, dataUploadConfigSchema } from '../config/data-upload-config';
import {
  type ScheduleFunctionConfig,
  scheduleFunctionConfigSchema,
} from '../config/function-configs';
import { parseConfigFromEnvironment } from '../config/parse-config';
import { readFunctionEnvironment } from '../aws/function-environment';
import { type OperatorClients, createOperatorClients } from '../aws/operator-clients';
import { describeStackOutputs } from '../aws/stack-outputs';
import { type LocalCloud, connectToLocalCloud } from './local-cloud-connection';
import { OperatorError, type Target, UsageError } from './operator-errors';

/** The options every command takes. */
export interface GlobalOptions {
  readonly stage?: string;
  readonly region?: string;
  readonly json?: boolean;
  readonly local?: boolean;
}

/** The deployed stack a command acts on: its outputs, its configuration, the clients to reach it. */
export interface StackContext {
  readonly stage: string;
  readonly region: string;
  readonly stackName: string;
  readonly local: boolean;
  readonly clients: OperatorClients;
  /** An output the command needs; missing means the stack predates this CLI. */
  readonly output: (key: string) => string;
  readonly dataUploadConfig: () => Promise<DataUploadConfig>;
  readonly scheduleConfig: () => Promise<ScheduleFunctionConfig>;
  readonly ledgerConfig: () => Promise<LedgerConfig>;
}

const SERVICE = 'mlops-control-plane';
const LOCAL_STAGE = 'local';

/** Where the options point before anything is asked of AWS: for commands and their error lines. */
export function targetOf(options: GlobalOptions, environment: NodeJS.ProcessEnv): Target {
  const stage = options.stage ?? (options.local === true ? LOCAL_STAGE : 'dev');
  return {
    stackName: `${SERVICE}-${stage}`,
    region: options.region ?? environment.AWS_REGION ?? environment.AWS_DEFAULT_REGION,
    local: options.local === true,
  };
}

/**
 * Finds the stack's resources by its outputs (DescribeStacks; locally, the packaged template the
 * local cloud runs) and its routes and schedules in its functions' configuration, never by names.
 *
 * @example
 * const stack = await discoverStack({ stage: 'prod', region: 'eu-west-1' }, process.env);
 */
export async function discoverStack(
  options: GlobalOptions,
  environment: NodeJS.ProcessEnv,
): Promise<StackContext> {
  const target = targetOf(options, environment);
  let local: LocalCloud | undefined;
  if (target.local) {
    if (options.stage !== undefined && options.stage !== LOCAL_STAGE) {
      throw new UsageError(
        `The local cloud runs stage ${LOCAL_STAGE}, not ${options.stage}: drop --stage, or drop --local to reach AWS.`,
      );
    }
    local = await connectToLocalCloud(environment);
  }
  const region = local?.region ?? target.region;
  if (region === undefined) {
    throw new UsageError('No region: pass --region (or set AWS_REGION).');
  }
  const stackName = local?.stackName ?? target.stackName;
  const clients = createOperatorClients({
    region,
    ...(local === undefined ? {} : { local: local.clientSettings }),
  });
  const outputs = await describeStackOutputs(clients.cloudFormation, stackName);
  const output = (key: string): string => {
    const value = outputs[key];
    if (value === undefined) {
      throw new OperatorError(
        `Stack ${stackName} has no output ${key}: redeploy it with this version (serverless deploy).`,
      );
    }
    return value;
  };
  const environmentOf = memoized((functionKey: string) =>
    readFunctionEnvironment(clients.lambda, output(functionKey)),
  );
  // Parsed with the schemas the functions parse them with: the CLI reads what they run with.
  const configOf =
    <T>(functionKey: string, parse: (env: Record<string, string>) => T) =>
    async () =>
      parse(await environmentOf(functionKey));
  return {
    stage: options.stage ?? (target.local ? LOCAL_STAGE : 'dev'),
    region,
    stackName,
    local: target.local,
    clients,
    output,
    dataUploadConfig: configOf('OnDataUploadFunctionName', (env) =>
      parseConfigFromEnvironment(dataUploadConfigSchema, env, 'DATA_UPLOAD_CONFIG'),
    ),
    scheduleConfig: configOf('OnScheduleFunctionName', (env) =>
      parseConfigFromEnvironment(scheduleFunctionConfigSchema, env, 'NOTIFY_CONFIG'),
    ),
    ledgerConfig: configOf('OnScheduleFunctionName', (env) =>
      parseConfigFromEnvironment(ledgerConfigSchema, env, 'LEDGER_CONFIG'),
    ),
  };
}

function memoized<T>(read: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key) => {
    const cached = cache.get(key) ?? read(key);
    cache.set(key, cached);
    return cached;
  };
}
