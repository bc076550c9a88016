import * as z from 'zod/mini';
import './zod-english-messages';
import { identifierString } from './text-fields';

export const ALARM_DETAIL_TYPE = 'CloudWatch Alarm State Change';

/** CloudWatch "Alarm State Change"; its timestamps read `2019-10-02T17:04:40.989+0000`, not ISO. */
export const alarmStateChangeSchema = z.object({
  id: z.string().check(z.minLength(1)),
  source: z.literal('aws.cloudwatch'),
  'detail-type': z.literal(ALARM_DETAIL_TYPE),
  time: z.iso.datetime(),
  region: z.string(),
  detail: z.object({
    alarmName: identifierString().check(z.minLength(1), z.maxLength(255)),
    state: z.object({
      value: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
      // Part of a retrain's identity and description: a time, not free text.
      timestamp: identifierString().check(z.minLength(1), z.maxLength(64)),
      reason: z.optional(z.string()),
    }),
  }),
});

export type AlarmStateChange = z.infer<typeof alarmStateChangeSchema>;
