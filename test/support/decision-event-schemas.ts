import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { DETAIL_TYPE_OF, type DecisionKind } from '../../functions/core/ledger/decision';
import type { DecisionEventEntry } from '../../functions/core/ledger/decision-event';

const SCHEMAS = join(__dirname, '..', '..', 'events', 'schemas');

/** The published JSON schemas (events/schemas/<decision>.schema.json), compiled, by detail-type. */
export function decisionEventValidators(): Map<string, ValidateFunction> {
  const ajv = new Ajv({ allErrors: true, strict: true });
  return new Map(
    readdirSync(SCHEMAS).map((file) => {
      const kind = file.replace(/\.schema\.json$/, '') as DecisionKind;
      const schema = JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as object;
      return [DETAIL_TYPE_OF[kind], ajv.compile(schema)];
    }),
  );
}

/** An entry as a rule's target receives it once EventBridge has added its envelope. */
export function asDeliveredEvent(entry: DecisionEventEntry): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': entry.detailType,
    source: entry.source,
    account: '123456789012',
    time: '2026-11-21T06:00:02Z',
    region: 'eu-west-1',
    resources: entry.resources,
    detail: JSON.parse(entry.detail) as unknown,
  };
}

/** The problems of a delivered decision event against its detail-type's schema; none when valid. */
export function schemaProblems(
  validators: Map<string, ValidateFunction>,
  event: Record<string, unknown>,
): string[] {
  const validate = validators.get(String(event['detail-type']));
  if (validate === undefined) return [`no schema for detail-type ${String(event['detail-type'])}`];
  return validate(event)
    ? []
    : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}
