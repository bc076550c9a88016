import type * as z from 'zod/mini';
import { quoteInput } from '../core/text-safety';
import { InvalidEventError } from '../errors';
import { reportingRejections } from '../observability/event-reports';
import type { Observability } from '../observability/powertools';
import { eventLabel, parseEvent } from '../schemas/parse-event';

/** What a function does with the events of one detail-type, once its schema has accepted them. */
export interface DetailTypeHandler<R> {
  readonly handle: (raw: unknown) => Promise<R>;
}

/**
 * Pairs the schema of one detail-type's events with the typed handler of those it accepts.
 *
 * @example
 * detailType(alarmStateChangeSchema, (event) => retrainOnAlarm(event));
 */
export function detailType<S extends z.ZodMiniType, R>(
  schema: S,
  handle: (event: z.output<S>) => Promise<R>,
): DetailTypeHandler<R> {
  return { handle: (raw) => handle(parseEvent(schema, raw, eventLabel(raw))) };
}

/**
 * The EventBridge envelope of a shell: an event goes to the handler of its `detail-type`, after
 * that detail-type's schema. An event of another detail-type, or one its schema refuses, is
 * rejected the same way in every function (see `reportingRejections`) and fails the invocation.
 *
 * @example
 * return eventBridgeHandler(deps, 'a SageMaker pipeline status change', {
 *   [PIPELINE_EXECUTION_DETAIL_TYPE]: detailType(pipelineExecutionStatusChangeSchema, onExecution),
 *   [PIPELINE_STEP_DETAIL_TYPE]: detailType(pipelineStepStatusChangeSchema, onStep),
 * });
 */
export function eventBridgeHandler<R>(
  observability: Observability,
  accepted: string,
  handlers: Readonly<Record<string, DetailTypeHandler<R>>>,
): (raw: unknown) => Promise<R> {
  return (raw) =>
    reportingRejections(observability, () => handlerOf(raw, accepted, handlers).handle(raw));
}

function handlerOf<R>(
  raw: unknown,
  accepted: string,
  handlers: Readonly<Record<string, DetailTypeHandler<R>>>,
): DetailTypeHandler<R> {
  // Read before validation: which schema applies depends on it. Own keys only, so that a
  // detail-type such as `constructor` finds no handler.
  const type = (raw as { 'detail-type'?: unknown } | null)?.['detail-type'];
  const handler =
    typeof type === 'string' && Object.hasOwn(handlers, type) ? handlers[type] : undefined;
  if (handler === undefined) {
    throw new InvalidEventError(
      `${eventLabel(raw)}: detail-type ${quoteInput(type)} is not ${accepted}`,
    );
  }
  return handler;
}
