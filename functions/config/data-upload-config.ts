import * as z from 'zod/mini';
import '../schemas/zod-english-messages';
import { placeholdersIn, prefixPlaceholderProblem, segmentNamesOf } from '../core/key-segments';
import { integerSetting } from './command-line-settings';
import {
  bucketNameSchema,
  pipelineNameSchema,
  pipelineParameterNameSchema,
  pipelineParameterValueSchema,
} from './sagemaker-names';

const routeNameSchema = z
  .string()
  .check(
    z.regex(
      /^[a-z0-9](-?[a-z0-9]){0,39}$/,
      'must be 1-40 lower-case letters, digits or single hyphens',
    ),
  );

const commonRouteFields = {
  name: routeNameSchema,
  bucket: bucketNameSchema,
  /**
   * Matched against the decoded key; '' claims the whole bucket. A `{name}` segment matches any
   * one path segment and names it for `parameters` (`data/ground-truth/{day}/`).
   */
  prefix: z._default(z.string().check(z.maxLength(1024)), ''),
  suffix: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
  pipeline: pipelineNameSchema,
  /** The pipeline parameter that receives the input's S3 URI. */
  inputParameter: pipelineParameterNameSchema,
  parameters: z._default(z.record(pipelineParameterNameSchema, pipelineParameterValueSchema), {}),
};

const objectRouteSchema = z.strictObject({ ...commonRouteFields, mode: z.literal('object') });

const folderRouteSchema = z.strictObject({
  ...commonRouteFields,
  mode: z.literal('folder'),
  /** Objects of one folder created within this window start one run (tumbling windows). */
  windowSeconds: integerSetting(60, 86_400, 900),
});

const triggerFileRouteSchema = z.strictObject({
  ...commonRouteFields,
  mode: z.literal('trigger-file'),
  /** Base names (e.g. `_SUCCESS`, `manifest.json`) whose arrival means "the folder is complete". */
  triggerFiles: z
    .array(z.string().check(z.regex(/^[^/]+$/, 'must be a base name without /')))
    .check(z.minLength(1)),
});

export const uploadRouteSchema = z
  .discriminatedUnion('mode', [objectRouteSchema, folderRouteSchema, triggerFileRouteSchema])
  .check(
    z.refine((route) => !(route.inputParameter in route.parameters), {
      message: 'inputParameter must not also be listed in parameters',
      path: ['parameters'],
    }),
    z.superRefine((route, ctx) => {
      const problem = prefixPlaceholderProblem(route.prefix);
      if (problem !== undefined) {
        ctx.addIssue({ code: 'custom', message: problem, path: ['prefix'], input: route.prefix });
        return;
      }
      const declared = segmentNamesOf(route.prefix);
      for (const [name, value] of Object.entries(route.parameters)) {
        const unknown = placeholdersIn(value).filter((used) => !declared.includes(used));
        if (unknown.length === 0) continue;
        ctx.addIssue({
          code: 'custom',
          message: `uses {${unknown.join('}, {')}}, which the prefix ${route.prefix} does not name (${declared.length === 0 ? 'it names no segment' : `it names {${declared.join('}, {')}}`})`,
          path: ['parameters', name],
          input: value,
        });
      }
    }),
  );

export type UploadRoute = z.infer<typeof uploadRouteSchema>;
export type FolderRoute = z.infer<typeof folderRouteSchema>;

export const dataUploadConfigSchema = z
  .strictObject({
    routes: z.array(uploadRouteSchema).check(z.minLength(1)),
    sageMaker: z.prefault(
      z.strictObject({
        // Throttling, 5xx and timeouts are retried by the SDK with back-off; the rest fails fast.
        maxAttempts: integerSetting(1, 20, 8),
        retryMode: z._default(z.enum(['standard', 'adaptive']), 'standard'),
        /** One attempt's limits: a hung call ends, and is retried with the same token. */
        connectionTimeoutMs: integerSetting(100, 10_000, 2_000),
        requestTimeoutMs: integerSetting(500, 30_000, 5_000),
      }),
      {},
    ),
    /** Parallel StartPipelineExecution calls per invocation (the SDK's HTTP agent opens 50 sockets). */
    maxConcurrentStarts: integerSetting(1, 50, 32),
    /**
     * Kept at the end of each invocation to hand unstarted notifications back: starts are cut off
     * this long before Lambda's timeout (more than the 1 s the response itself is given).
     */
    finishReserveMs: integerSetting(2_000, 30_000, 5_000),
    /** How long a quota refusal (ResourceLimitExceeded) may last before the DLQ gets the notification. */
    maxQuotaWaitHours: integerSetting(1, 336, 24),
  })
  .check(
    z.superRefine((config, ctx) => {
      const ruleOwners = new Map<string, number>();
      const nameOwners = new Map<string, number>();
      config.routes.forEach((route, index) => {
        const rule = JSON.stringify([route.bucket, route.prefix, route.suffix ?? '']);
        const sameRule = ruleOwners.get(rule);
        if (sameRule !== undefined) {
          ctx.addIssue({
            code: 'custom',
            message: `claims the same bucket, prefix and suffix as routes[${sameRule}]`,
            path: ['routes', index],
            input: route,
          });
        }
        ruleOwners.set(rule, index);
        const sameName = nameOwners.get(route.name);
        if (sameName !== undefined) {
          ctx.addIssue({
            code: 'custom',
            message: `duplicates the name of routes[${sameName}]`,
            path: ['routes', index, 'name'],
            input: route.name,
          });
        }
        nameOwners.set(route.name, index);
      });
    }),
  );

export type DataUploadConfig = z.infer<typeof dataUploadConfigSchema>;
