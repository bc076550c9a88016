import {
  DEFERRALS_ATTRIBUTE,
  type MessageDelivery,
  type Disposition,
  type NotificationOutcome,
  REASON_ATTRIBUTE,
  WAITING_SINCE_ATTRIBUTE,
  combineOutcomes,
  decideDisposition,
  handBackMessage,
  redeliveredFirst,
} from '../../functions/core/upload-redelivery';

const policy = { maxQuotaWaitHours: 24 };
const now = new Date('2026-11-21T06:00:00.000Z');
const firstReceive: MessageDelivery = { receiveCount: 1, deferrals: 0 };
const quota = (reason = 'ResourceLimitExceeded: too many executions'): NotificationOutcome => ({
  kind: 'failed',
  failure: 'back-pressure',
  reason,
});

describe('decideDisposition: only what can never succeed reaches the dead-letter queue', () => {
  it.each<[string, NotificationOutcome, MessageDelivery, Disposition]>([
    ['a started run: acknowledged', { kind: 'done' }, firstReceive, { action: 'acknowledge' }],
    [
      'not started before the deadline: a fresh copy at once, no receive used up',
      { kind: 'not-started' },
      firstReceive,
      { action: 'requeue', delaySeconds: 0, deferrals: 0 },
    ],
    [
      'not started while it waits for a quota: the wait keeps its start',
      { kind: 'not-started' },
      { receiveCount: 1, deferrals: 2, waitingSince: '2026-11-21T05:00:00.000Z' },
      {
        action: 'requeue',
        delaySeconds: 0,
        deferrals: 2,
        waitingSince: '2026-11-21T05:00:00.000Z',
      },
    ],
    [
      'a transient failure: redelivered, parked by SQS after the receive limit',
      { kind: 'failed', failure: 'transient', reason: 'ThrottlingException' },
      { receiveCount: 5, deferrals: 0 },
      { action: 'redeliver' },
    ],
    [
      'a permanent failure: to the DLQ at once, with the reason',
      { kind: 'failed', failure: 'permanent', reason: 'ResourceNotFound: no pipeline' },
      firstReceive,
      { action: 'dead-letter', reason: 'ResourceNotFound: no pipeline' },
    ],
    [
      'the first quota refusal: back in the buffer in a minute, the wait starts now',
      quota(),
      firstReceive,
      { action: 'requeue', delaySeconds: 60, deferrals: 1, waitingSince: now.toISOString() },
    ],
    [
      'the third refusal: four minutes, the wait keeps its start',
      quota(),
      { receiveCount: 1, deferrals: 2, waitingSince: '2026-11-21T05:57:00.000Z' },
      {
        action: 'requeue',
        delaySeconds: 240,
        deferrals: 3,
        waitingSince: '2026-11-21T05:57:00.000Z',
      },
    ],
    [
      'later refusals: every 15 minutes (the longest SQS delay)',
      quota(),
      { receiveCount: 1, deferrals: 9, waitingSince: '2026-11-21T04:00:00.000Z' },
      {
        action: 'requeue',
        delaySeconds: 900,
        deferrals: 10,
        waitingSince: '2026-11-21T04:00:00.000Z',
      },
    ],
    [
      'refused for the whole allowed wait: parked with the reason, for someone to look at',
      quota('ResourceLimitExceeded: too many executions'),
      { receiveCount: 1, deferrals: 99, waitingSince: '2026-11-20T06:00:00.000Z' },
      {
        action: 'dead-letter',
        reason:
          'Still refused for a quota after waiting since 2026-11-20T06:00:00.000Z (at most 24 h): ResourceLimitExceeded: too many executions',
      },
    ],
  ])('%s', (_why, outcome, delivery, disposition) => {
    expect(decideDisposition(outcome, delivery, policy, now)).toEqual(disposition);
  });

  it('neither waiting nor the deadline depend on the receive count: no receive can park them', () => {
    const lastReceive = { receiveCount: 5, deferrals: 0 };
    expect(decideDisposition(quota(), lastReceive, policy, now)).toMatchObject({
      action: 'requeue',
    });
    expect(decideDisposition({ kind: 'not-started' }, lastReceive, policy, now)).toMatchObject({
      action: 'requeue',
    });
  });
});

describe('combineOutcomes: a notification is done only when all its starts are', () => {
  const transient: NotificationOutcome = { kind: 'failed', failure: 'transient', reason: 't' };
  const permanent: NotificationOutcome = { kind: 'failed', failure: 'permanent', reason: 'p' };
  it.each<[string, NotificationOutcome[], NotificationOutcome]>([
    ['no starts at all (ignored objects)', [], { kind: 'done' }],
    ['all started', [{ kind: 'done' }, { kind: 'done' }], { kind: 'done' }],
    ['one not started', [{ kind: 'done' }, { kind: 'not-started' }], { kind: 'not-started' }],
    ['a transient failure beats a deadline', [{ kind: 'not-started' }, transient], transient],
    ['a retry beats parking', [permanent, { kind: 'not-started' }], { kind: 'not-started' }],
    ['waiting for a quota beats parking', [permanent, quota()], quota()],
  ])('%s', (_why, outcomes, combined) => {
    expect(combineOutcomes(outcomes)).toEqual(combined);
  });
});

describe('redeliveredFirst', () => {
  it('puts starts of notifications received more often first, keeping the order otherwise', () => {
    const receives: Record<string, number> = { a: 1, b: 3, c: 1, d: 2 };
    const starts = ['a', 'b', 'c', 'd'].map((id) => ({ notificationIds: [id] }));
    expect(
      redeliveredFirst(starts, (id) => receives[id] ?? 1).map((start) => start.notificationIds[0]),
    ).toEqual(['b', 'd', 'a', 'c']);
  });
});

describe('handBackMessage', () => {
  it('a requeued copy carries its deferrals and the start of its wait', () => {
    expect(
      handBackMessage('m-1', '{"id":"e"}', {
        action: 'requeue',
        delaySeconds: 120,
        deferrals: 2,
        waitingSince: '2026-11-21T05:59:00.000Z',
      }),
    ).toEqual({
      id: 'm-1',
      body: '{"id":"e"}',
      delaySeconds: 120,
      attributes: {
        [DEFERRALS_ATTRIBUTE]: '2',
        [WAITING_SINCE_ATTRIBUTE]: '2026-11-21T05:59:00.000Z',
      },
    });
  });

  it('a dead-lettered copy carries only its reason, cut to 1,024 characters', () => {
    const message = handBackMessage('m-2', 'body', {
      action: 'dead-letter',
      reason: 'x'.repeat(5_000),
    });
    expect(message.attributes).toEqual({ [REASON_ATTRIBUTE]: 'x'.repeat(1_024) });
    expect(message.delaySeconds).toBe(0);
  });
});
