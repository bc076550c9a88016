import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';

/** The stack does not exist in this account and region (DescribeStacks' ValidationError). */
export class StackNotFoundError extends Error {
  override readonly name = 'StackNotFoundError';
}

/**
 * A stack's Outputs by key, from DescribeStacks: how the operator's CLI finds the stack's
 * resources instead of guessing their names.
 *
 * @example
 * const outputs = await describeStackOutputs(client, 'mlops-control-plane-prod');
 * outputs.LedgerTableName; // 'mlops-control-plane-prod-ledger'
 */
export async function describeStackOutputs(
  client: CloudFormationClient,
  stackName: string,
): Promise<Record<string, string>> {
  let output;
  try {
    output = await client.send(new DescribeStacksCommand({ StackName: stackName }));
  } catch (error) {
    if ((error as Error).name === 'ValidationError' && /does not exist/.test(String(error))) {
      throw new StackNotFoundError(`Stack ${stackName} does not exist`, { cause: error });
    }
    throw error;
  }
  const stack = output.Stacks?.[0];
  if (stack === undefined) throw new StackNotFoundError(`Stack ${stackName} does not exist`);
  return Object.fromEntries(
    (stack.Outputs ?? []).flatMap((entry) =>
      entry.OutputKey === undefined || entry.OutputValue === undefined
        ? []
        : [[entry.OutputKey, entry.OutputValue]],
    ),
  );
}
