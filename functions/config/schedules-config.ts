import * as z from 'zod/mini';
import '../schemas/zod-english-messages';
import { unknownDatePlaceholders } from '../core/date-template';
import { scheduleExpressionProblem } from '../core/schedule-expression';
import { booleanSetting, integerSetting } from './command-line-settings';
import { pipelineParameterNameSchema } from './sagemaker-names';

const DATE_PLACEHOLDERS = '{{yyyy}}, {{mm}}, {{dd}}, {{hh}}';

const templatedValueSchema = z.string().check(
  z.maxLength(1024),
  z.refine((value) => unknownDatePlaceholders(value).length === 0, {
    error: (issue) =>
      `unknown placeholder ${unknownDatePlaceholders(String(issue.input))
        .map((name) => `{{${name}}}`)
        .join(', ')} (known: ${DATE_PLACEHOLDERS})`,
  }),
);

const scheduleSchema = z.strictObject({
  /** Part of the EventBridge rule's name: `<service>-<stage>-<name>`. */
  name: z
    .string()
    .check(
      z.regex(
        /^[a-z0-9](-?[a-z0-9]){0,29}$/,
        'must be 1-30 lower-case letters, digits or single hyphens',
      ),
    ),
  /** An EventBridge schedule expression, `cron(...)` or `rate(...)`, in UTC, checked as EventBridge would. */
  expression: z.string().check(
    z.refine((expression) => scheduleExpressionProblem(expression) === undefined, {
      error: (issue) => scheduleExpressionProblem(String(issue.input)),
    }),
  ),
  pipeline: z.enum(['training', 'training-hpo', 'batch-inference']),
  /** Parameter values; date placeholders are filled from the scheduled time (plus dayOffset). */
  parameters: z.record(pipelineParameterNameSchema, templatedValueSchema),
  /** The parameter holding the input S3 prefix that must hold at least one object. */
  inputParameter: z._default(pipelineParameterNameSchema, 'InputDataUrl'),
  /** Days added to the scheduled time before filling dates: -1 takes yesterday's folder. */
  dayOffset: integerSetting(-366, 366, 0),
  enabled: booleanSetting(true),
});

export type Schedule = z.infer<typeof scheduleSchema>;

export const schedulesConfigSchema = z._default(
  z.array(scheduleSchema).check(
    z.refine(
      (schedules) => new Set(schedules.map((schedule) => schedule.name)).size === schedules.length,
      {
        message: 'schedule names must be unique',
      },
    ),
    z.refine(
      (schedules) => schedules.every((schedule) => schedule.inputParameter in schedule.parameters),
      {
        message: 'every schedule must give a value to its inputParameter',
      },
    ),
  ),
  [],
);
