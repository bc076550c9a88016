import {
  DescribeModelPackageCommand,
  DescribePipelineExecutionCommand,
  ListPipelineExecutionStepsCommand,
  SageMakerClient,
  StartPipelineExecutionCommand,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { SAMPLE_DEPLOYMENT_VALUES } from '../../pipeline-definitions/check-definitions';
import {
  declaredParameterNames,
  renderPipeline,
} from '../../pipeline-definitions/pipeline-catalog';
import type { AwsEvent } from '../../tooling/local/event-bus';
import {
  type LocalSageMaker,
  type SavedSageMaker,
  startLocalSageMaker,
} from '../../tooling/local/sagemaker-endpoint';
import { loadScenario } from '../../tooling/local/scenario';

const group = SAMPLE_DEPLOYMENT_VALUES.modelPackageGroupName;
const start = {
  PipelineName: 'mlops-dev-training',
  ClientRequestToken: `folder-${'0f'.repeat(32)}`,
  PipelineParameters: [{ Name: 'InputDataUrl', Value: 's3://bucket/data/training/2026-11/' }],
};

/** A local SageMaker with the training pipeline that runs at once, from what a session saved. */
function localSageMaker(events: AwsEvent[], saved?: SavedSageMaker): Promise<LocalSageMaker> {
  return startLocalSageMaker(
    [
      {
        name: 'mlops-dev-training',
        parameterNames: declaredParameterNames('training'),
        definition: renderPipeline('training', SAMPLE_DEPLOYMENT_VALUES),
      },
    ],
    {
      modelPackageGroups: [group],
      emit: (event) => events.push(event),
      runs: {
        scenario: { ...loadScenario('default'), stepDurationMs: 0 },
        invokeLambda: async () => ({}),
        putObject: async () => undefined,
        onRunError: (_execution, error) => {
          throw error;
        },
      },
      ...(saved === undefined ? {} : { saved }),
    },
  );
}

describe('local SageMaker across a restart: runs and model versions are kept', () => {
  const events: AwsEvent[] = [];
  let restarted: LocalSageMaker;
  let client: SageMakerClient;
  let trainingArn: string;
  let saved: SavedSageMaker;

  beforeAll(async () => {
    const first = await localSageMaker(events);
    const firstClient = new SageMakerClient({ endpoint: first.url, maxAttempts: 1 });
    trainingArn =
      (await firstClient.send(new StartPipelineExecutionCommand(start))).PipelineExecutionArn ?? '';
    await first.idle();
    // What npm start writes to .local/sagemaker.json, and reads at the next start.
    saved = JSON.parse(JSON.stringify(first.saved())) as SavedSageMaker;
    await first.close();
    events.length = 0;
    restarted = await localSageMaker(events, saved);
    client = new SageMakerClient({ endpoint: restarted.url, maxAttempts: 1 });
  });
  afterAll(() => restarted.close());

  it("approves yesterday's version with the command of its review e-mail", async () => {
    const arn = `arn:aws:sagemaker:eu-west-1:000000000000:model-package/${group}/1`;
    await client.send(
      new UpdateModelPackageCommand({ ModelPackageArn: arn, ModelApprovalStatus: 'Approved' }),
    );
    const version = await client.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
    expect(version).toMatchObject({
      ModelApprovalStatus: 'Approved',
      MetadataProperties: { GeneratedBy: trainingArn },
    });
    expect(version.CreationTime).toBeInstanceOf(Date);
    expect(events.map((event) => event['detail-type'])).toEqual([
      'SageMaker Model Package State Change',
    ]);
  });

  it('describes the runs of the last session, steps and times included', async () => {
    const run = await client.send(
      new DescribePipelineExecutionCommand({ PipelineExecutionArn: trainingArn }),
    );
    expect(run.PipelineExecutionStatus).toBe('Succeeded');
    const { PipelineExecutionSteps: steps = [] } = await client.send(
      new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: trainingArn }),
    );
    expect(steps.map((step) => step.StepName)).toContain('RegisterModel');
    expect(steps.every((step) => step.StartTime instanceof Date)).toBe(true);
  });

  it('still knows the token of a start: a redelivered trigger finds its run, not a new one', async () => {
    const again = await client.send(new StartPipelineExecutionCommand(start));
    expect(again.PipelineExecutionArn).toBe(trainingArn);
    expect(restarted.executions).toHaveLength(1);
  });

  it('a run that was executing when the process died has failed, and says why', async () => {
    const crashed = JSON.parse(JSON.stringify(saved)) as SavedSageMaker;
    (crashed.executions[0]?.record as { status: string }).status = 'Executing';
    const afterCrash = await localSageMaker([], crashed);
    try {
      const run = await new SageMakerClient({ endpoint: afterCrash.url, maxAttempts: 1 }).send(
        new DescribePipelineExecutionCommand({ PipelineExecutionArn: trainingArn }),
      );
      expect(run).toMatchObject({
        PipelineExecutionStatus: 'Failed',
        FailureReason: 'The local cloud stopped while this run was executing',
      });
    } finally {
      await afterCrash.close();
    }
  });
});
