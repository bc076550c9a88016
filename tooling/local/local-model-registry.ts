import { randomUUID } from 'node:crypto';
import { type AwsEvent, eventTime } from './event-bus';
import {
  type SageMakerRequest,
  ServiceError,
  epochSeconds,
  invalidMember,
  optionalEnum,
  optionalTime,
  page,
  requiredString,
} from './sagemaker-request';

const APPROVAL_STATUSES = ['Approved', 'Rejected', 'PendingManualApproval'] as const;
type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/** One model package version, in the members DescribeModelPackage returns (and saved as JSON). */
export interface ModelPackage {
  readonly ModelPackageName: string;
  readonly ModelPackageGroupName: string;
  readonly ModelPackageVersion: number;
  readonly ModelPackageArn: string;
  readonly ModelPackageDescription?: string;
  readonly CreationTime: Date;
  LastModifiedTime: Date;
  ModelApprovalStatus: ApprovalStatus;
  ApprovalDescription?: string;
  CustomerMetadataProperties: Record<string, string>;
  readonly InferenceSpecification?: unknown;
  readonly ModelMetrics?: unknown;
  readonly DriftCheckBaselines?: unknown;
  readonly MetadataProperties?: { readonly GeneratedBy: string };
}

export interface ModelRegistryOptions {
  readonly groups: readonly string[];
  readonly region: string;
  readonly accountId: string;
  readonly emit: (event: AwsEvent) => void;
  /** Versions of an earlier session, as `saved()` returned them. */
  readonly saved?: readonly ModelPackage[];
}

// From the SageMaker API model (botocore): group names, model package ARNs, customer metadata
// (CustomerMetadataMap: 1-50 entries; CustomerMetadataKey 1-128, CustomerMetadataValue 1-256
// characters, both of the class below).
const GROUP_NAME_OR_ARN =
  /^(arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:[a-z-]*\/)?([a-zA-Z0-9]([a-zA-Z0-9-]){0,62})(?<!-)$/;
const MODEL_PACKAGE_ARN =
  /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:model-package\/.{1,2048}$/;
// ApprovalDescription's pattern `.*`: Java's `.` matches no line terminator.
const APPROVAL_DESCRIPTION = /^[^\n\r\u0085\u2028\u2029]*$/;
const METADATA_CHARACTERS = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;
const METADATA_ENTRIES = { min: 1, max: 50 } as const;
const METADATA_KEY_LENGTH = { min: 1, max: 128 } as const;
const METADATA_VALUE_LENGTH = { min: 1, max: 256 } as const;

/**
 * The model registry of the local SageMaker: versions registered by pipeline RegisterModel steps,
 * read with ListModelPackages (filters, sorting ascending by default, paging) and
 * DescribeModelPackage, approved or rejected with UpdateModelPackage. Registering a version and
 * changing its approval status emit "SageMaker Model Package State Change", as the service does.
 *
 * @example
 * const registry = localModelRegistry({ groups: ['mlops-local-models'], region, accountId, emit });
 * registry.register({ ModelPackageGroupName: 'mlops-local-models', ... }, executionArn);
 */
export function localModelRegistry(options: ModelRegistryOptions) {
  // Times come back from JSON as text.
  const packages: ModelPackage[] = (options.saved ?? []).map((saved) => ({
    ...saved,
    CreationTime: new Date(saved.CreationTime),
    LastModifiedTime: new Date(saved.LastModifiedTime),
  }));
  const groups = new Set(options.groups.map((group) => group.toLowerCase()));

  function groupNameOf(nameOrArn: string): string {
    return nameOrArn.replace(/^arn:.*\//, '');
  }

  function find(arn: string): ModelPackage {
    const found = packages.find((candidate) => candidate.ModelPackageArn === arn);
    if (found === undefined) {
      throw new ServiceError('ValidationException', `ModelPackage ${arn} does not exist.`);
    }
    return found;
  }

  /** As the service does: an update names the fields it changed; a new version names none. */
  function emitStateChange(modelPackage: ModelPackage, updatedFields?: readonly string[]): void {
    const detail = JSON.parse(
      JSON.stringify(describe(modelPackage), (key, value: unknown) =>
        typeof value === 'number' && key.endsWith('Time')
          ? eventTime(new Date(value * 1000))
          : value,
      ),
    ) as Record<string, unknown>;
    options.emit({
      version: '0',
      id: randomUUID(),
      'detail-type': 'SageMaker Model Package State Change',
      source: 'aws.sagemaker',
      account: options.accountId,
      time: eventTime(),
      region: options.region,
      resources: [modelPackage.ModelPackageArn],
      detail:
        updatedFields === undefined
          ? detail
          : { ...detail, UpdatedModelPackageFields: updatedFields },
    });
  }

  function describe(modelPackage: ModelPackage): Record<string, unknown> {
    return {
      ...modelPackage,
      CreationTime: epochSeconds(modelPackage.CreationTime),
      LastModifiedTime: epochSeconds(modelPackage.LastModifiedTime),
      ModelPackageStatus: 'Completed',
      ModelPackageStatusDetails: { ValidationStatuses: [], ImageScanStatuses: [] },
      CertifyForMarketplace: false,
    };
  }

  /** The CustomerMetadataProperties member of a request, as CreateModelPackage checks it. */
  function checkMetadata(metadata: Record<string, unknown>): void {
    const entries = Object.entries(metadata);
    if (entries.length < METADATA_ENTRIES.min || entries.length > METADATA_ENTRIES.max) {
      throw invalidMember(
        'CustomerMetadataProperties',
        metadata,
        `Member must have between ${METADATA_ENTRIES.min} and ${METADATA_ENTRIES.max} entries`,
      );
    }
    const fits = (text: unknown, length: { min: number; max: number }) =>
      typeof text === 'string' &&
      text.length >= length.min &&
      text.length <= length.max &&
      METADATA_CHARACTERS.test(text);
    for (const [key, value] of entries) {
      if (!fits(key, METADATA_KEY_LENGTH)) {
        throw invalidMember('CustomerMetadataProperties', key, 'Map keys must satisfy constraints');
      }
      if (!fits(value, METADATA_VALUE_LENGTH)) {
        throw invalidMember(
          'CustomerMetadataProperties',
          value,
          `Map value must satisfy regular expression pattern: ${METADATA_CHARACTERS.source} and have length between ${METADATA_VALUE_LENGTH.min} and ${METADATA_VALUE_LENGTH.max}`,
        );
      }
    }
  }

  return {
    /** Every version, to be given back as `saved` after a restart (JSON). */
    saved: (): readonly ModelPackage[] => packages,

    /**
     * Creates the next version of a group, as a RegisterModel step does (CreateModelPackage
     * members); `generatedBy` is the pipeline execution that registered it.
     */
    register(request: SageMakerRequest, generatedBy: string): string {
      const group = groupNameOf(String(request.ModelPackageGroupName));
      if (!groups.has(group.toLowerCase())) {
        throw new ServiceError(
          'ValidationException',
          `Model Package Group ${group} does not exist.`,
        );
      }
      const customerMetadata = (request.CustomerMetadataProperties ?? {}) as Record<string, string>;
      if (request.CustomerMetadataProperties !== undefined) checkMetadata(customerMetadata);
      const version =
        packages.filter((candidate) => candidate.ModelPackageGroupName === group).length + 1;
      const now = new Date();
      const modelPackage: ModelPackage = {
        ModelPackageName: group,
        ModelPackageGroupName: group,
        ModelPackageVersion: version,
        ModelPackageArn: `arn:aws:sagemaker:${options.region}:${options.accountId}:model-package/${group.toLowerCase()}/${version}`,
        ...(request.ModelPackageDescription === undefined
          ? {}
          : { ModelPackageDescription: String(request.ModelPackageDescription) }),
        CreationTime: now,
        LastModifiedTime: now,
        ModelApprovalStatus:
          optionalEnum(request, 'ModelApprovalStatus', APPROVAL_STATUSES) ??
          'PendingManualApproval',
        CustomerMetadataProperties: { ...customerMetadata },
        InferenceSpecification: request.InferenceSpecification,
        ModelMetrics: request.ModelMetrics,
        DriftCheckBaselines: request.DriftCheckBaselines,
        MetadataProperties: { GeneratedBy: generatedBy },
      };
      packages.push(modelPackage);
      emitStateChange(modelPackage);
      return modelPackage.ModelPackageArn;
    },

    operations: {
      ListModelPackages(request: SageMakerRequest) {
        const group =
          request.ModelPackageGroupName === undefined
            ? undefined
            : groupNameOf(requiredString(request, 'ModelPackageGroupName', GROUP_NAME_OR_ARN, 170));
        const status = optionalEnum(request, 'ModelApprovalStatus', APPROVAL_STATUSES);
        const type = optionalEnum(request, 'ModelPackageType', [
          'Versioned',
          'Unversioned',
          'Both',
        ]);
        const sortBy = optionalEnum(request, 'SortBy', ['Name', 'CreationTime']) ?? 'CreationTime';
        const sortOrder =
          optionalEnum(request, 'SortOrder', ['Ascending', 'Descending']) ?? 'Ascending';
        const after = optionalTime(request, 'CreationTimeAfter');
        const before = optionalTime(request, 'CreationTimeBefore');
        const nameContains =
          request.NameContains === undefined ? undefined : String(request.NameContains);
        // Every package registered here is a version of a group: Unversioned lists none.
        const matching = packages.filter(
          (candidate) =>
            type !== 'Unversioned' &&
            (group === undefined ||
              candidate.ModelPackageGroupName.toLowerCase() === group.toLowerCase()) &&
            (status === undefined || candidate.ModelApprovalStatus === status) &&
            (after === undefined || candidate.CreationTime > after) &&
            (before === undefined || candidate.CreationTime < before) &&
            (nameContains === undefined || candidate.ModelPackageName.includes(nameContains)),
        );
        const key = (candidate: ModelPackage): [string | number, number] =>
          sortBy === 'Name'
            ? [candidate.ModelPackageName, candidate.ModelPackageVersion]
            : [candidate.CreationTime.getTime(), candidate.ModelPackageVersion];
        const sorted = [...matching].sort((left, right) => {
          const [a, aVersion] = key(left);
          const [b, bVersion] = key(right);
          const order = a < b ? -1 : a > b ? 1 : aVersion - bVersion;
          return sortOrder === 'Ascending' ? order : -order;
        });
        const { items, nextToken } = page(sorted, request);
        return {
          ModelPackageSummaryList: items.map((modelPackage) => ({
            ModelPackageName: modelPackage.ModelPackageName,
            ModelPackageGroupName: modelPackage.ModelPackageGroupName,
            ModelPackageVersion: modelPackage.ModelPackageVersion,
            ModelPackageArn: modelPackage.ModelPackageArn,
            ModelPackageDescription: modelPackage.ModelPackageDescription,
            CreationTime: epochSeconds(modelPackage.CreationTime),
            ModelPackageStatus: 'Completed',
            ModelApprovalStatus: modelPackage.ModelApprovalStatus,
          })),
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        };
      },

      DescribeModelPackage(request: SageMakerRequest) {
        const name = requiredString(request, 'ModelPackageName', /^.+$/, 2048);
        return describe(find(name));
      },

      UpdateModelPackage(request: SageMakerRequest) {
        const arn = requiredString(request, 'ModelPackageArn', MODEL_PACKAGE_ARN, 2048);
        const status = optionalEnum(request, 'ModelApprovalStatus', APPROVAL_STATUSES);
        const description = request.ApprovalDescription;
        if (
          description !== undefined &&
          (typeof description !== 'string' ||
            description.length > 1024 ||
            !APPROVAL_DESCRIPTION.test(description))
        ) {
          throw invalidMember(
            'ApprovalDescription',
            description,
            `Member must satisfy regular expression pattern: ${APPROVAL_DESCRIPTION.source} and have length less than or equal to 1024`,
          );
        }
        const modelPackage = find(arn);
        const added = (request.CustomerMetadataProperties ?? {}) as Record<string, string>;
        if (request.CustomerMetadataProperties !== undefined) checkMetadata(added);
        const metadata = { ...modelPackage.CustomerMetadataProperties, ...added };
        for (const key of (request.CustomerMetadataPropertiesToRemove ?? []) as string[])
          delete metadata[key];
        const updated = [
          ...(status !== undefined && status !== modelPackage.ModelApprovalStatus
            ? ['ModelApprovalStatus']
            : []),
          ...(description !== undefined && description !== modelPackage.ApprovalDescription
            ? ['ApprovalDescription']
            : []),
          ...(request.CustomerMetadataProperties !== undefined ||
          request.CustomerMetadataPropertiesToRemove !== undefined
            ? ['CustomerMetadataProperties']
            : []),
        ];
        modelPackage.ModelApprovalStatus = status ?? modelPackage.ModelApprovalStatus;
        if (description !== undefined) modelPackage.ApprovalDescription = description;
        modelPackage.CustomerMetadataProperties = metadata;
        modelPackage.LastModifiedTime = new Date();
        if (updated.length > 0) emitStateChange(modelPackage, updated);
        return { ModelPackageArn: arn };
      },
    },
  };
}
