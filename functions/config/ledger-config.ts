import * as z from 'zod/mini';
import '../schemas/zod-english-messages';
import { integerSetting } from './command-line-settings';

/** Event bus names: 1-256 of `[/.\-_A-Za-z0-9]`; `default` is the account's default bus. */
const EVENT_BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;

/**
 * `custom.mlops.ledger`: how long decisions are kept and where they are announced. Validated at
 * package time and again at cold start, where each function reads it from LEDGER_CONFIG.
 */
export const ledgerSettingsSchema = z.strictObject({
  /** The DynamoDB table that holds the decisions and the e-mails' idempotency records. */
  tableName: z.string().check(z.regex(/^[a-zA-Z0-9_.-]{3,255}$/, 'must be a DynamoDB table name')),
  /** Days a decision record, and so an e-mail's identity, is remembered. */
  retentionDays: integerSetting(1, 3650, 90),
  events: z.prefault(
    z.strictObject({
      /** The `source` of every decision event; `aws.` sources are AWS's own. */
      source: z._default(
        z.string().check(
          z.minLength(1),
          z.maxLength(256),
          z.refine((source) => !source.startsWith('aws.'), 'must not start with aws.'),
        ),
        'mlops.control-plane',
      ),
      /** A bus of this account and region, by name. */
      busName: z._default(
        z.string().check(z.regex(EVENT_BUS_NAME, 'must be an event bus name (not an ARN)')),
        'default',
      ),
    }),
    {},
  ),
});

export type LedgerSettings = z.infer<typeof ledgerSettingsSchema>;

/** What a function that records decisions reads at cold start (LEDGER_CONFIG). */
export const ledgerConfigSchema = z.extend(ledgerSettingsSchema, {
  /** In every event's detail, so one bus can carry several stages. */
  stage: z
    .string()
    .check(z.regex(/^[a-zA-Z0-9-]{1,20}$/, 'must be 1-20 letters, digits or hyphens')),
});

export type LedgerConfig = z.infer<typeof ledgerConfigSchema>;
