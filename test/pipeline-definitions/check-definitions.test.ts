import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  checkPipelineDefinition,
  describeProblem,
  MAX_DEFINITION_LENGTH,
  SAMPLE_DEPLOYMENT_VALUES,
} from '../../pipeline-definitions/check-definitions';
import {
  PIPELINE_IDS,
  renderPipeline,
  type PipelineId,
} from '../../pipeline-definitions/pipeline-catalog';

const REPOSITORY_ROOT = path.join(__dirname, '..', '..');

function rendered(id: PipelineId): string {
  return renderPipeline(id, SAMPLE_DEPLOYMENT_VALUES);
}

/** The rendered definition with `from` replaced by `to`; `from` must occur exactly once. */
function broken(id: PipelineId, from: string, to: string): unknown {
  const body = rendered(id);
  const occurrences = body.split(from).length - 1;
  if (occurrences !== 1) throw new Error(`"${from}" occurs ${occurrences} times in ${id}`);
  return JSON.parse(body.replace(from, to));
}

function problemsOf(definition: unknown): string[] {
  return checkPipelineDefinition(definition).map(describeProblem);
}

describe('checkPipelineDefinition', () => {
  it.each(PIPELINE_IDS)('passes the rendered %s definition', (id) => {
    expect(problemsOf(JSON.parse(rendered(id)))).toEqual([]);
  });

  // Each case breaks one thing in a valid definition; the problem must name the step and what is
  // wrong, so that the message alone says what to fix.
  it.each([
    {
      why: 'a reference to a step that does not exist',
      id: 'training' as const,
      from: '"Steps.ScoreTestSplit.TransformOutput.S3OutputPath"',
      to: '"Steps.ScoreTestSplitt.TransformOutput.S3OutputPath"',
      expected:
        'step "Evaluate" at Steps[5].Arguments.ProcessingInputs[0].S3Input.S3Uri.Get: references Steps.ScoreTestSplitt.TransformOutput.S3OutputPath, but there is no step "ScoreTestSplitt"',
    },
    {
      why: 'a reference to an unknown parameter',
      id: 'training' as const,
      from: '"InstanceType":{"Get":"Parameters.TrainingInstanceType"}',
      to: '"InstanceType":{"Get":"Parameters.TrainingInstanceTyp"}',
      expected:
        'step "Train" at Steps[2].Arguments.ResourceConfig.InstanceType.Get: references unknown parameter "TrainingInstanceTyp"',
    },
    {
      why: 'a cycle through DependsOn',
      id: 'training' as const,
      from: '"Name":"Preprocess","Type":"Processing",',
      to: '"Name":"Preprocess","Type":"Processing","DependsOn":["Evaluate"],',
      expected:
        'steps wait for each other in a cycle: Preprocess waits for Evaluate waits for ScoreTestSplit waits for CreateModel waits for Train waits for Preprocess',
    },
    {
      why: 'a cycle through a condition branch',
      id: 'batch-inference' as const,
      from: '"LeftValue":{"Get":"Parameters.GroundTruthUrl"}',
      to: '"LeftValue":{"Get":"Steps.EvaluateModelQuality.ProcessingJobName"}',
      expected:
        'IsGroundTruthMissing waits for EvaluateModelQuality waits for IsGroundTruthMissing',
    },
    {
      why: 'a duplicate step name',
      id: 'training' as const,
      from: '"Name":"CreateModel"',
      to: '"Name":"Train"',
      expected: 'step "Train" at Steps[3].Name: step name "Train" is already used at Steps[2]',
    },
    {
      why: 'a step name too long for the schema',
      id: 'batch-inference' as const,
      from: '"Name":"ScoreInput"',
      to: `"Name":"${'S'.repeat(65)}"`,
      expected: 'step names are 1-64 letters, digits, "-" or "_"',
    },
    {
      why: 'a leftover placeholder',
      id: 'batch-inference' as const,
      from: '"FunctionArn":"arn:aws:lambda:eu-west-1:123456789012:function:mlops-dev-getApprovedModel"',
      to: '"FunctionArn":"${GetApprovedModelArn}"',
      expected:
        'step "GetApprovedModel" at Steps[0].FunctionArn: leftover placeholder ${GetApprovedModelArn}',
    },
    {
      why: 'a leftover placeholder in a parameter default',
      id: 'training' as const,
      from: '"DefaultValue":"s3://mlops-dev-data-123456789012/data/training/"',
      to: '"DefaultValue":"s3://${Bucket}/data/training/"',
      expected:
        'Parameters[0].DefaultValue: leftover placeholder in "s3://${Bucket}/data/training/"',
    },
    {
      why: 'a parameter name with an underscore',
      id: 'training' as const,
      from: '{"Name":"LabelColumn","Type":"String","DefaultValue":"0"}',
      to: '{"Name":"LabelColumn","Type":"String","DefaultValue":"0"},{"Name":"Label_Column","Type":"String"}',
      expected:
        'Parameters[2].Name: parameter name "Label_Column" must be 1-64 letters, digits and inner hyphens',
    },
    {
      why: 'a parameter name over 64 characters',
      id: 'training' as const,
      from: '{"Name":"LabelColumn","Type":"String","DefaultValue":"0"}',
      to: `{"Name":"LabelColumn","Type":"String","DefaultValue":"0"},{"Name":"${'P'.repeat(65)}","Type":"String"}`,
      expected: `parameter name "${'P'.repeat(65)}" must be 1-64`,
    },
    {
      why: 'a default that does not fit the parameter type',
      id: 'batch-inference' as const,
      from: '{"Name":"TransformInstanceCount","Type":"Integer","DefaultValue":1}',
      to: '{"Name":"TransformInstanceCount","Type":"Integer","DefaultValue":1.5}',
      expected:
        'Parameters[8].DefaultValue: default 1.5 of parameter "TransformInstanceCount" is not a Integer',
    },
    {
      why: 'a parameter that no step reads',
      id: 'training' as const,
      from: '{"Name":"LabelColumn","Type":"String","DefaultValue":"0"}',
      to: '{"Name":"LabelColumn","Type":"String","DefaultValue":"0"},{"Name":"Unused","Type":"String"}',
      expected: 'Parameters: parameter "Unused" is declared but no step reads it',
    },
    {
      why: 'DependsOn naming no step',
      id: 'batch-inference' as const,
      from: '"DependsOn":["GetApprovedModel"]',
      to: '"DependsOn":["GetApprovedModels"]',
      expected:
        'step "CheckInputDataQuality" at Steps[2].DependsOn[0]: DependsOn "GetApprovedModels" names no step of this pipeline',
    },
    {
      why: 'DependsOn naming a Condition step',
      id: 'batch-inference' as const,
      from: '"DependsOn":["CheckInputDataQuality"]',
      to: '"DependsOn":["IsGroundTruthMissing"]',
      expected:
        'step "ScoreInput" at Steps[3].DependsOn[0]: a step cannot depend on the Condition step "IsGroundTruthMissing"',
    },
    {
      why: 'a property file that the step does not declare',
      id: 'training' as const,
      from: '"Get":"Steps.Evaluate.PropertyFiles.EvaluationReport"},"Path":"binary_classification_metrics.auc.value"}},"RightValue"',
      to: '"Get":"Steps.Evaluate.PropertyFiles.Evaluation"},"Path":"binary_classification_metrics.auc.value"}},"RightValue"',
      expected:
        'step "AucMeetsThreshold" at Steps[6].Arguments.Conditions[0].LeftValue.Std:JsonGet.PropertyFile.Get: Steps.Evaluate.PropertyFiles.Evaluation: step "Evaluate" declares no property file "Evaluation" (declared: EvaluationReport)',
    },
    {
      why: 'a processing output that the step does not declare',
      id: 'training' as const,
      from: `"Steps.Preprocess.ProcessingOutputConfig.Outputs['baseline'].S3Output.S3Uri"`,
      to: `"Steps.Preprocess.ProcessingOutputConfig.Outputs['baseline-data'].S3Output.S3Uri"`,
      expected:
        'no processing output named "baseline-data" (declared: train, validation, test, baseline, metadata)',
    },
    {
      why: 'a Lambda output that the step does not declare',
      id: 'batch-inference' as const,
      from: `"Steps.GetApprovedModel.OutputParameters['ModelPackageArn']"`,
      to: `"Steps.GetApprovedModel.OutputParameters['PackageArn']"`,
      expected:
        'step "CreateModel" at Steps[1].Arguments.PrimaryContainer.ModelPackageName.Get: Steps.GetApprovedModel.OutputParameters[\'PackageArn\']: no Lambda output named "PackageArn"',
    },
    {
      why: 'a property the step type does not have',
      id: 'training' as const,
      from: '"Steps.Train.ModelArtifacts.S3ModelArtifacts"}}}},{"Name":"ScoreTestSplit"',
      to: '"Steps.Train.ModelArtifact"}}}},{"Name":"ScoreTestSplit"',
      expected: 'Steps.Train.ModelArtifact: "ModelArtifact" is not a property of a Training step',
    },
    {
      why: 'a reference from inside a condition branch',
      id: 'training-hpo' as const,
      from: '"ModelPackageGroupName":{"Get":"Parameters.ModelPackageGroupName"},"ModelApprovalStatus"',
      to: '"ModelPackageGroupName":{"Get":"Parameters.GroupName"},"ModelApprovalStatus"',
      expected:
        'step "RegisterModel" at Steps[6].Arguments.IfSteps[0].Arguments.ModelPackageGroupName.Get: references unknown parameter "GroupName"',
    },
    {
      why: 'a condition branch entry that is a name, not a step',
      id: 'batch-inference' as const,
      from: '"IfSteps":[{"Name":"ModelQualityViolation"',
      to: '"IfSteps":["ModelQualityViolation",{"Name":"ModelQualityViolation"',
      expected:
        'step "IsAucBelowThreshold" at Steps[4].Arguments.ElseSteps[1].Arguments.IfSteps[0]: is not a step',
    },
    {
      why: 'an unknown function',
      id: 'training' as const,
      from: '"ErrorMessage":{"Std:Join"',
      to: '"ErrorMessage":{"Std:Concat"',
      expected:
        'step "ModelNotRegistered" at Steps[6].Arguments.ElseSteps[0].Arguments.ErrorMessage: unknown function "Std:Concat"',
    },
    {
      why: 'an unknown execution variable',
      id: 'training' as const,
      from: '"sourceExecutionArn":{"Get":"Execution.PipelineExecutionArn"}',
      to: '"sourceExecutionArn":{"Get":"Execution.ExecutionArn"}',
      expected: 'unknown execution variable "Execution.ExecutionArn"',
    },
    {
      why: 'an unknown step type',
      id: 'batch-inference' as const,
      from: '"Type":"Lambda"',
      to: '"Type":"Function"',
      expected: 'step "GetApprovedModel" at Steps[0].Type: unknown step type "Function"',
    },
    {
      why: 'a wrong definition version',
      id: 'training' as const,
      from: '"Version":"2020-12-01"',
      to: '"Version":"2021-01-01"',
      expected: 'Version: Version must be "2020-12-01"',
    },
  ])('rejects $why', ({ id, from, to, expected }) => {
    const problems = problemsOf(broken(id, from, to));
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });

  it('rejects a definition over the CreatePipeline size limit', () => {
    const padding = 'x'.repeat(MAX_DEFINITION_LENGTH);
    const problems = problemsOf(
      broken('training', '"Description":"Splits', `"Description":"${padding}`),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/^\(root\): \d+ characters, more than 1048576$/),
    );
  });

  it('rejects what is not a definition at all', () => {
    expect(problemsOf([])).toEqual(['(root): a pipeline definition is a JSON object']);
    expect(problemsOf({ Version: '2020-12-01', Parameters: [] })).toEqual([
      'Steps: a definition needs a non-empty Steps array',
    ]);
  });
});

describe('check-definitions command', () => {
  const run = (...files: string[]) =>
    spawnSync(
      process.execPath,
      ['-r', './tooling/register-ts.js', 'pipeline-definitions/check-definitions.ts', ...files],
      { cwd: REPOSITORY_ROOT, encoding: 'utf8' },
    );

  it('renders and checks the three templates, and the training ones with the feature store, exiting 0', () => {
    const result = run();
    expect(result.status).toBe(0);
    for (const id of PIPELINE_IDS)
      expect(result.stdout).toMatch(new RegExp(`^ok +${id}\\.json`, 'm'));
    for (const id of ['training', 'training-hpo'])
      for (const source of ['input', 'offline-store'])
        expect(result.stdout).toContain(
          `ok   ${id}.json with the feature store, training source ${source}`,
        );
  });

  it('checks given files and exits 1 naming the step and the reference', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'definition-')), 'broken.json');
    const definition = broken(
      'training',
      '"Parameters.AucThreshold"}}],',
      '"Parameters.Threshold"}}],',
    );
    writeFileSync(file, JSON.stringify(definition));
    const result = run(file);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`FAIL ${file}`);
    expect(result.stdout).toContain(
      'step "AucMeetsThreshold" at Steps[6].Arguments.Conditions[0].RightValue.Get: references unknown parameter "Threshold"',
    );
  });
});
