import type { PublishOnce } from '../../functions/aws/emails-once';
import type { Decision } from '../../functions/core/ledger/decision';
import type { Notification } from '../../functions/core/notification';
import type { DecisionSink } from '../../functions/runtime/decision-ledger';

/**
 * A publisher for shell tests that sends every time: those tests are about what a handler
 * decides and e-mails; exactly-once is tested against the ledger (test/ledger/exactly-once).
 */
export function publishingEveryTime(
  publish: (notification: Notification) => Promise<string | undefined>,
): PublishOnce {
  return async (_identity, notification) => ({
    messageId: (await publish(notification)) ?? '',
    replayed: false,
  });
}

/** A sink that keeps the decisions a shell makes, for the test to read. */
export function keptDecisions(): DecisionSink & { readonly decisions: Decision[] } {
  const decisions: Decision[] = [];
  return { decisions, add: (...made) => void decisions.push(...made) };
}
