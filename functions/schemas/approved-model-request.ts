import * as z from 'zod/mini';
import './zod-english-messages';

/** The event the batch-inference pipeline's Lambda step sends: its `Arguments`. */
export const approvedModelRequestSchema = z.object({
  // A group name (CreateModelPackageGroup's EntityName) or a group ARN, as ListModelPackages takes.
  ModelPackageGroupName: z
    .string()
    .check(
      z.regex(
        /^(arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:\d{12}:model-package-group\/)?[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/,
        'must be a model package group name or ARN',
      ),
    ),
});
