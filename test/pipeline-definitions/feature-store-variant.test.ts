import {
  checkPipelineDefinition,
  describeProblem,
  SAMPLE_DEPLOYMENT_VALUES,
  sampleFeatureStoreSettings,
} from '../../pipeline-definitions/check-definitions';
import { declaredSteps } from '../../pipeline-definitions/checker/declared-steps';
import { valueAt, type JsonObject } from '../../pipeline-definitions/checker/json-value';
import type {
  FeatureStoreSettings,
  TrainingSource,
} from '../../pipeline-definitions/feature-store-contract';
import {
  featureArguments,
  MAX_CONTAINER_ARGUMENT_LENGTH,
  withFeatureStore,
} from '../../pipeline-definitions/feature-store-variant';
import {
  readDefinitionTemplate,
  type PipelineId,
} from '../../pipeline-definitions/pipeline-catalog';
import { renderPipelineDefinition } from '../../pipeline-definitions/render-definition';

function rendered(id: PipelineId, settings: FeatureStoreSettings): JsonObject {
  return JSON.parse(
    renderPipelineDefinition(
      withFeatureStore(readDefinitionTemplate(id), settings),
      SAMPLE_DEPLOYMENT_VALUES,
    ),
  ) as JsonObject;
}

function steps(definition: JsonObject): Map<string, JsonObject> {
  return new Map(declaredSteps(definition.Steps).steps.map((step) => [step.name, step.definition]));
}

const original = (id: PipelineId) =>
  JSON.parse(
    renderPipelineDefinition(readDefinitionTemplate(id), SAMPLE_DEPLOYMENT_VALUES),
  ) as JsonObject;
const NEW_STEPS = ['IngestFeatures', 'BuildTrainingSet'];
const METADATA = ['Arguments', 'CustomerMetadataProperties'];

describe('withFeatureStore: the training pipelines with the feature store on', () => {
  it.each(['training', 'training-hpo'] as const)(
    '%s, training on the input: the same steps, IngestFeatures after Preprocess, the group in the metadata',
    (id) => {
      const variant = rendered(id, sampleFeatureStoreSettings('input'));
      const before = original(id);
      const variantSteps = steps(variant);
      expect([...variantSteps.keys()].slice(0, 2)).toEqual(['Preprocess', 'IngestFeatures']);
      expect(variant.Parameters).toEqual(before.Parameters);
      for (const [name, step] of steps(before)) {
        if (name === 'RegisterModel' || name === 'AucMeetsThreshold') continue;
        expect(variantSteps.get(name)).toEqual(step);
      }
      expect(valueAt(variantSteps.get('RegisterModel'), METADATA)).toEqual({
        ...(valueAt(steps(before).get('RegisterModel'), METADATA) as JsonObject),
        featureGroupName: {
          'Std:JsonGet': {
            PropertyFile: { Get: 'Steps.IngestFeatures.PropertyFiles.FeatureIngestion' },
            Path: 'featureGroupName',
          },
        },
      });
    },
  );

  it.each(['training', 'training-hpo'] as const)(
    '%s, training from the offline store: reads of the training set go to BuildTrainingSet, the window is a parameter',
    (id) => {
      const variant = rendered(id, sampleFeatureStoreSettings('offline-store'));
      const text = JSON.stringify(
        [...steps(variant)].filter(([name]) => !NEW_STEPS.includes(name)),
      );
      for (const output of ['train', 'validation', 'test', 'baseline']) {
        expect(text).not.toContain(`Steps.Preprocess.ProcessingOutputConfig.Outputs['${output}']`);
        expect(text).toContain(
          `Steps.BuildTrainingSet.ProcessingOutputConfig.Outputs['${output}']`,
        );
      }
      expect(text).toContain('Steps.Preprocess.PropertyFiles.CustomerMetadata');
      expect(variant.Parameters).toEqual([
        ...(original(id).Parameters as JsonObject[]),
        { Name: 'TrainingHistoryDays', Type: 'Integer', DefaultValue: 90 },
      ]);
      expect(
        Object.keys(valueAt(steps(variant).get('RegisterModel'), METADATA) as JsonObject),
      ).toEqual([
        'origin',
        'inputDataUrl',
        'sourceExecutionArn',
        'featureGroupName',
        'queryExecutionId',
        'trainingWindow',
      ]);
    },
  );

  it('the new steps run their scripts as Preprocess runs its own, with the settings as arguments', () => {
    const variant = steps(rendered('training', sampleFeatureStoreSettings('offline-store')));
    const preprocess = variant.get('Preprocess');
    for (const name of NEW_STEPS) {
      const step = variant.get(name);
      for (const shared of [
        ['Arguments', 'ProcessingResources'],
        ['Arguments', 'RoleArn'],
        ['Arguments', 'AppSpecification', 'ImageUri'],
        ['RetryPolicies'],
      ]) {
        expect(valueAt(step, shared)).toEqual(valueAt(preprocess, shared));
      }
    }
    expect(
      valueAt(variant.get('BuildTrainingSet'), [
        'Arguments',
        'AppSpecification',
        'ContainerArguments',
      ]),
    ).toEqual([
      '--prepared-dir',
      '/opt/ml/processing/input/prepared',
      '--metadata-dir',
      '/opt/ml/processing/input/metadata',
      '--ingestion-dir',
      '/opt/ml/processing/input/ingestion',
      '--output-dir',
      '/opt/ml/processing/output',
      '--history-days',
      { 'Std:Join': { On: '', Values: [{ Get: 'Parameters.TrainingHistoryDays' }] } },
      '--database',
      'mlops_dev_feature_store',
      '--table',
      'mlops_dev_features',
      '--workgroup',
      'mlops-dev-features',
      '--region',
      'eu-west-1',
      '--record-identifier',
      'record_id',
      '--event-time',
      'event_time',
      '--label',
      'churned',
      '--features',
      'tenure_months:Integral,monthly_charges:Fractional,support_calls:Integral',
    ]);
  });

  it('refuses a pipeline without Preprocess and RegisterModel', () => {
    expect(() =>
      withFeatureStore(
        readDefinitionTemplate('batch-inference'),
        sampleFeatureStoreSettings('input'),
      ),
    ).toThrow('The feature store extends training pipelines');
  });
});

describe('a wide dataset schema fits the container arguments', () => {
  const wide = (
    count: number,
    source: TrainingSource = 'offline-store',
    prefix = 'feature_with_a_long_descriptive_name_',
  ): FeatureStoreSettings => ({
    ...sampleFeatureStoreSettings(source),
    dataset: {
      label: 'churned',
      features: Array.from({ length: count }, (_, index) => ({
        name: `${prefix}${String(index).padStart(4, '0')}`,
        type: index % 2 === 0 ? ('Integral' as const) : ('Fractional' as const),
      })),
    },
  });

  it('cuts the features into arguments of at most 256 characters that join back to the list', () => {
    const features = wide(40).dataset.features;
    const chunks = featureArguments(features);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks)
      expect(chunk.length).toBeLessThanOrEqual(MAX_CONTAINER_ARGUMENT_LENGTH);
    expect(chunks.join(',').split(',')).toEqual(
      features.map((feature) => `${feature.name}:${feature.type}`),
    );
  });

  it('a definition with 500 features passes the checker; the checker catches what does not fit', () => {
    const five = rendered('training', wide(500, 'offline-store', 'f'));
    expect(checkPipelineDefinition(five).map(describeProblem)).toEqual([]);
    const ingest = steps(five).get('IngestFeatures');
    const args = valueAt(ingest, [
      'Arguments',
      'AppSpecification',
      'ContainerArguments',
    ]) as string[];
    args.push(...Array.from({ length: 100 }, () => 'x'), 'y'.repeat(257));
    expect(checkPipelineDefinition(five).map(describeProblem)).toEqual([
      expect.stringMatching(
        /^step "IngestFeatures" at .*ContainerArguments: \d+ container arguments, more than 100$/,
      ),
      expect.stringMatching(/ContainerArguments\[\d+\]: 257 characters, more than 256$/),
    ]);
  });

  it('a schema too wide for a processing job fails with what to do', () => {
    expect(() => rendered('training', wide(1000))).toThrow(
      'more than the 100 a processing job takes: use fewer features or shorter names',
    );
  });
});
