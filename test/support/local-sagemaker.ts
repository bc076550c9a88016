import {
  type LocalPipeline,
  type LocalSageMaker,
  startLocalSageMaker,
} from '../../tooling/local/sagemaker-endpoint';

/**
 * A fresh local SageMaker for every test of the calling `describe`, which the SDK reaches through
 * AWS_ENDPOINT_URL_SAGEMAKER; returns the current one.
 *
 * @example
 * const sageMaker = useLocalSageMaker([{ name: 'mlops-dev-training', parameterNames: ['InputDataUrl'] }]);
 * it('...', () => expect(sageMaker().executions).toHaveLength(1));
 */
export function useLocalSageMaker(pipelines: readonly LocalPipeline[]): () => LocalSageMaker {
  const saved = process.env.AWS_ENDPOINT_URL_SAGEMAKER;
  let sageMaker: LocalSageMaker | undefined;
  beforeEach(async () => {
    sageMaker = await startLocalSageMaker(pipelines);
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = sageMaker.url;
  });
  afterEach(async () => {
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = saved;
    await sageMaker?.close();
  });
  return () => {
    if (sageMaker === undefined) throw new Error('The local SageMaker runs inside tests only');
    return sageMaker;
  };
}
