import { GetFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';

/**
 * The environment variables a deployed function runs with: where the stack's configuration
 * (routes, schedules, the ledger's settings) lives after `serverless deploy`.
 *
 * @example
 * const environment = await readFunctionEnvironment(client, 'mlops-control-plane-prod-onSchedule');
 */
export async function readFunctionEnvironment(
  client: LambdaClient,
  functionName: string,
): Promise<Record<string, string>> {
  const output = await client.send(
    new GetFunctionConfigurationCommand({ FunctionName: functionName }),
  );
  return { ...output.Environment?.Variables };
}
