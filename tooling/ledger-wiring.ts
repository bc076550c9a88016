import { type LedgerSettings, ledgerSettingsSchema } from '../functions/config/ledger-config';
import { parseConfig } from '../functions/config/parse-config';

/**
 * Validates `custom.mlops.ledger` at package time with the schema the functions use at cold start.
 *
 * @example
 * const ledger = parseLedgerSettings(mlops.ledger);
 */
export function parseLedgerSettings(raw: unknown): LedgerSettings {
  return parseConfig(ledgerSettingsSchema, raw, 'custom.mlops.ledger');
}
