import { readFileSync } from 'node:fs';
import { SAMPLE_DEPLOYMENT_VALUES } from '../../pipeline-definitions/check-definitions';
import {
  definitionTemplatePath,
  PIPELINE_IDS,
  readDefinitionTemplate,
  renderPipeline,
} from '../../pipeline-definitions/pipeline-catalog';
import {
  PLACEHOLDER_NAMES,
  placeholderValues,
  renderPipelineDefinition,
  substitutePlaceholders,
} from '../../pipeline-definitions/render-definition';
import { sageMakerImageUri } from '../../pipeline-definitions/sagemaker-image-uris';

const values = SAMPLE_DEPLOYMENT_VALUES;

/** What CloudFormation's Fn::Sub does with a string and a variable map (no escapes needed here). */
function fnSub(template: string, variables: Readonly<Record<string, string>>): string {
  return template.replace(/\$\{([^}]*)\}/g, (_, name: string) => variables[name] ?? `\${${name}}`);
}

describe('renderPipelineDefinition', () => {
  it.each(PIPELINE_IDS)('substitutes every placeholder of %s', (id) => {
    const body = renderPipeline(id, values);
    expect(body).not.toContain('${');
    expect(body).toContain(`"RoleArn":"${values.roleArn}"`);
    expect(body).toContain(`s3://${values.dataBucket}/`);
    expect(body).toContain(`"DefaultValue":"${values.modelPackageGroupName}"`);
  });

  it.each(PIPELINE_IDS)('yields the body Fn::Sub would make of the %s template', (id) => {
    const template = readDefinitionTemplate(id);
    expect(JSON.parse(fnSub(template, placeholderValues(values)))).toEqual(
      JSON.parse(renderPipeline(id, values)),
    );
  });

  it.each(PIPELINE_IDS)(
    'keeps %s free of "${" other than known placeholders, as Fn::Sub requires',
    (id) => {
      const template = readFileSync(definitionTemplatePath(id), 'utf8');
      const placeholders = [...template.matchAll(/\$\{([^}]*)\}/g)].map((match) => match[1]);
      expect(template.split('${').length - 1).toBe(placeholders.length);
      expect(PLACEHOLDER_NAMES).toEqual(expect.arrayContaining(placeholders));
    },
  );

  it('uses every placeholder name in some template', () => {
    const templates = PIPELINE_IDS.map(readDefinitionTemplate).join('');
    for (const name of PLACEHOLDER_NAMES) expect(templates).toContain(`\${${name}}`);
  });

  it('puts the region-specific images of the deployment region into the definitions', () => {
    const training = renderPipeline('training', values);
    const batch = renderPipeline('batch-inference', values);
    expect(training).toContain(
      '"TrainingImage":"141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1"',
    );
    expect(training).toContain(
      '"ImageUri":"141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"',
    );
    expect(batch).toContain(
      '"ImageUri":"468650794304.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-model-monitor-analyzer:latest"',
    );
    expect(batch).toContain(`"FunctionArn":"${values.getApprovedModelFunctionArn}"`);
  });

  it('returns compact JSON', () => {
    const body = renderPipelineDefinition(
      '{\n  "Version": "2020-12-01",\n  "Role": "${RoleArn}"\n}',
      values,
    );
    expect(body).toBe(`{"Version":"2020-12-01","Role":"${values.roleArn}"}`);
  });

  it.each([
    { field: 'roleArn', value: 'my-role' },
    { field: 'dataBucket', value: 'My_Bucket' },
    { field: 'dataBucket', value: 'bucket"name' },
    { field: 'modelPackageGroupName', value: 'models_v1' },
    { field: 'getApprovedModelFunctionArn', value: 'getApprovedModel' },
    { field: 'region', value: 'Europe' },
  ])('rejects $field "$value", naming the field', ({ field, value }) => {
    expect(() => placeholderValues({ ...values, [field]: value })).toThrow(
      `Deployment value ${field} "${value}" does not match`,
    );
  });
});

describe('substitutePlaceholders', () => {
  const known = { RoleArn: 'arn:aws:iam::123456789012:role/x', DataBucket: 'bucket' };

  it('replaces each occurrence', () => {
    expect(substitutePlaceholders('${DataBucket}/${DataBucket}:${RoleArn}', known)).toBe(
      'bucket/bucket:arn:aws:iam::123456789012:role/x',
    );
  });

  it.each([
    {
      template: '{"a": "${Bucket}", "b": "${Role}"}',
      message: 'unknown placeholder ${Bucket}, unknown placeholder ${Role}',
    },
    { template: '{"a": "${AWS::Region}"}', message: 'unknown placeholder ${AWS::Region}' },
    { template: '{"a": "${!Literal}"}', message: 'unknown placeholder ${!Literal}' },
    { template: '{"a": "s3://${DataBucket"}', message: '1 "${" without a closing "}"' },
  ])('refuses $template, naming what is wrong', ({ template, message }) => {
    expect(() => substitutePlaceholders(template, known)).toThrow(message);
    expect(() => substitutePlaceholders(template, known)).toThrow(
      'known placeholders: RoleArn, DataBucket',
    );
  });
});

describe('sageMakerImageUri', () => {
  it.each([
    [
      'xgboost',
      'us-east-1',
      '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
    ],
    [
      'sklearn',
      'cn-north-1',
      '450853457545.dkr.ecr.cn-north-1.amazonaws.com.cn/sagemaker-scikit-learn:1.2-1-cpu-py3',
    ],
    [
      'model-monitor',
      'us-west-2',
      '159807026194.dkr.ecr.us-west-2.amazonaws.com/sagemaker-model-monitor-analyzer:latest',
    ],
  ] as const)('builds the %s image URI of %s', (image, region, uri) => {
    expect(sageMakerImageUri(image, region)).toBe(uri);
  });

  it('names the image and region it has no registry for', () => {
    expect(() => sageMakerImageUri('model-monitor', 'ap-south-2')).toThrow(
      'SageMaker publishes no model-monitor image for region "ap-south-2"',
    );
  });

  it('refuses the isolated partitions, whose domains differ', () => {
    expect(() => sageMakerImageUri('xgboost', 'us-iso-east-1')).toThrow('isolated partition');
  });
});
