import type { Context } from 'aws-lambda';

/** A Lambda context whose remaining time the test controls (a fixed value or a fake clock). */
export function lambdaContext(remainingMs: () => number): Context {
  return {
    functionName: 'mlops-control-plane-test-onDataUpload',
    functionVersion: '$LATEST',
    invokedFunctionArn:
      'arn:aws:lambda:eu-west-1:123456789012:function:mlops-control-plane-test-onDataUpload',
    memoryLimitInMB: '256',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: '/aws/lambda/mlops-control-plane-test-onDataUpload',
    logStreamName: '2026/11/21/[$LATEST]test',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
