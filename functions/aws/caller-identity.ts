import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';

/**
 * The ARN of whoever the credentials belong to (STS GetCallerIdentity): who made a decision.
 *
 * @example
 * await callerArn(client); // 'arn:aws:sts::123456789012:assumed-role/DataScientist/ana'
 */
export async function callerArn(client: STSClient): Promise<string> {
  const output = await client.send(new GetCallerIdentityCommand({}));
  if (output.Arn === undefined) throw new Error('STS GetCallerIdentity returned no Arn');
  return output.Arn;
}
