import type { PipelineStartRequest } from './pipeline-start-request';

/** A run of the target pipeline, as ListPipelineExecutions summarises it. */
export interface RecentExecution {
  readonly arn: string;
  readonly status: string;
  readonly startTime: string | undefined;
  readonly displayName: string | undefined;
  readonly description: string | undefined;
}

/**
 * Whether a start goes ahead (`start`), or not: this trigger started its run already
 * (`duplicate`), or a guard or precondition holds it back (`held-back`).
 */
export type GuardDecision =
  | { readonly kind: 'start'; readonly request: PipelineStartRequest }
  | { readonly kind: 'duplicate'; readonly executionArn: string }
  | HeldBack;

/** The guard or precondition that held a start back, as the ledger and its events name it. */
export type HoldingGuard = 'run-executing' | 'cooldown' | 'no-input' | 'no-approved-model';

/** Why a start is held back: in a sentence (`skip`), in a subject's few words (`because`). */
export interface HeldBack {
  readonly kind: 'held-back';
  readonly guard: HoldingGuard;
  readonly skip: string;
  readonly because: string;
  readonly nextAllowedAt?: string;
}

/**
 * Where a start records its token, so that a redelivered trigger is recognised among the runs:
 * ListPipelineExecutions returns descriptions, never tokens.
 */
export function describeWithToken(description: string, token: string): string {
  return `${description} [trigger ${token}]`;
}

/** A description as people read it: without the token it carries for the guards. */
export function withoutTriggerToken(description: string): string {
  return description.replace(/ \[trigger [^\]]*\]$/, '');
}

/**
 * Decides whether a start may go ahead, from the target pipeline's recent runs (read before
 * deciding): a run this very trigger started already means a duplicate (no e-mail, no second run);
 * a run still executing, or one started within the cooldown, holds the start back and says when
 * the next is allowed.
 *
 * @example
 * guardPipelineStart(request, await listRecentExecutions(client, name), { hours: 6, now });
 */
export function guardPipelineStart(
  request: PipelineStartRequest,
  recent: readonly RecentExecution[],
  cooldown?: { readonly hours: number; readonly now: Date },
): GuardDecision {
  const marker = `[trigger ${request.clientRequestToken}]`;
  const same = recent.find((execution) => execution.description?.includes(marker));
  if (same !== undefined) return { kind: 'duplicate', executionArn: same.arn };
  const executing = recent.find((execution) => execution.status === 'Executing');
  if (executing !== undefined) {
    return {
      kind: 'held-back',
      guard: 'run-executing',
      skip: `a run of ${request.pipelineName} is still executing (${executing.displayName ?? executing.arn}, started ${executing.startTime ?? 'at an unknown time'})`,
      because: 'a run is still executing',
    };
  }
  if (cooldown === undefined) return { kind: 'start', request };
  const cooldownMs = cooldown.hours * 3_600_000;
  const latest = recent
    .map((execution) => Date.parse(execution.startTime ?? ''))
    .filter((time) => Number.isFinite(time))
    .reduce((newest, time) => Math.max(newest, time), Number.NEGATIVE_INFINITY);
  if (cooldown.now.getTime() - latest < cooldownMs) {
    return {
      kind: 'held-back',
      guard: 'cooldown',
      skip: `${request.pipelineName} was started at ${new Date(latest).toISOString()}, within the ${cooldown.hours} h cooldown`,
      because: `cooldown until ${new Date(latest + cooldownMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      nextAllowedAt: new Date(latest + cooldownMs).toISOString(),
    };
  }
  return { kind: 'start', request };
}
