import * as z from 'zod/mini';
import './zod-english-messages';

export const SCHEDULED_EVENT_DETAIL_TYPE = 'Scheduled Event';

/** What an EventBridge schedule delivers; `time` is the scheduled time, `resources[0]` the rule. */
export const scheduledEventSchema = z.object({
  id: z.string().check(z.minLength(1)),
  source: z.literal('aws.events'),
  'detail-type': z.literal(SCHEDULED_EVENT_DETAIL_TYPE),
  time: z.iso.datetime(),
  resources: z
    .array(
      z.string().check(
        z.regex(
          // A rule on the default bus, or `rule/<bus>/<rule>`; names as EventBridge allows them.
          /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:rule\/([.\-_A-Za-z0-9]{1,256}\/)?[.\-_A-Za-z0-9]{1,64}$/,
          'must be a rule ARN',
        ),
      ),
    )
    .check(z.minLength(1)),
});

export type ScheduledEvent = z.infer<typeof scheduledEventSchema>;
