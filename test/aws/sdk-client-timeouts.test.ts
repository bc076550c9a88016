import { GetObjectCommand } from '@aws-sdk/client-s3';
import { StartPipelineExecutionCommand } from '@aws-sdk/client-sagemaker';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createS3Client } from '../../functions/aws/s3-client';
import { createSageMakerClient } from '../../functions/aws/sagemaker-client';
import { createSnsClient } from '../../functions/aws/sns-client';
import { createSqsClient } from '../../functions/aws/sqs-client';
import { listenOnLoopback } from '../../tooling/local/loopback-port';

// A service that reads every request and never answers: without a request timeout the SDK waits
// for it forever, and one such call holds a Lambda invocation until its timeout.
describe('every SDK client of the project ends a hung call and retries it', () => {
  const saved = process.env.AWS_ENDPOINT_URL;
  let server: Server;
  let url: string;
  let received = 0;
  beforeAll(async () => {
    server = createServer((request) => {
      received += 1;
      request.resume();
    });
    await listenOnLoopback(server, 0);
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env.AWS_ENDPOINT_URL = url;
  });
  afterAll(async () => {
    process.env.AWS_ENDPOINT_URL = saved;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const settings = { maxAttempts: 2, retryMode: 'standard', requestTimeoutMs: 200 } as const;

  it.each<[string, () => Promise<unknown>]>([
    [
      'SageMaker',
      () =>
        createSageMakerClient(settings).send(
          new StartPipelineExecutionCommand({
            PipelineName: 'p',
            ClientRequestToken: `object-${'0'.repeat(64)}`,
          }),
        ),
    ],
    [
      'S3',
      () => createS3Client(settings, true).send(new GetObjectCommand({ Bucket: 'b', Key: 'k' })),
    ],
    [
      'SNS',
      () =>
        createSnsClient(settings).send(
          new PublishCommand({ TopicArn: 'arn:aws:sns:eu-west-1:000000000000:t', Message: 'm' }),
        ),
    ],
    [
      'SQS',
      () =>
        createSqsClient(settings).send(
          new SendMessageCommand({ QueueUrl: `${url}/000000000000/q`, MessageBody: 'm' }),
        ),
    ],
  ])(
    '%s: each attempt times out, the timeout is retried, then surfaces',
    async (_service, call) => {
      received = 0;
      await expect(call()).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(received).toBe(2);
    },
  );
});
