import * as z from 'zod/mini';
import './zod-english-messages';

export const ALARM_DETAIL_TYPE = 'CloudWatch Alarm State Change';

/** CloudWatch "Alarm State Change"; its timestamps read `2019-10-02T17:04:40.989+0000`, not ISO. */
export const alarmStateChangeSchema = z.object({
  id: z.string().check(z.minLength(1)),
  source: z.literal('aws.cloudwatch'),
  'detail-type': z.literal(ALARM_DETAIL_TYPE),
  time: z.iso.datetime(),
  region: z.string(),
  detail: z.object({
    alarmName: z.string().check(z.minLength(1)),
    state: z.object({
      value: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
      timestamp: z.string().check(z.minLength(1)),
      reason: z.optional(z.string()),
    }),
  }),
});

export type AlarmStateChange = z.infer<typeof alarmStateChangeSchema>;
