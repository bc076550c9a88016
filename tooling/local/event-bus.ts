import { randomUUID } from 'node:crypto';
import type { ActivityLog } from './activity-log';
import { matchesEventPattern } from './event-pattern';
import { nextScheduledTime } from '../../functions/core/schedule-expression';
import { eventSubject } from './event-subject';
import type { LocalRule, RuleTarget } from './stack-wiring';

/** An event on the default bus, in the shape AWS services send (S3, SageMaker, CloudWatch). */
export interface AwsEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
}

/** Where a rule's targets lead, by the service of the target's ARN. */
interface TargetDelivery {
  /** An asynchronous Lambda invocation (its retries are Lambda's); resolves with its success. */
  readonly lambda: (functionArn: string, payload: unknown, trigger: string) => Promise<boolean>;
  /** Resolves when the message has left the queue (consumed, or dead-lettered: false). */
  readonly sqs: (
    queueArn: string,
    body: string,
    options?: {
      readonly messageGroupId?: string;
      readonly attributes?: Readonly<Record<string, string>>;
    },
  ) => Promise<boolean>;
  readonly sns: (topicArn: string, message: string) => Promise<void>;
}

/**
 * One event handed to one rule target, for those who wait for an event's consequences (the demo):
 * `delivering` until the target has it, for a function until it has run (retries included), and
 * for a queue a function consumes until the function has processed it.
 */
export interface Delivery {
  readonly sequence: number;
  readonly event: AwsEvent;
  readonly rule: string;
  readonly targetArn: string;
  status: 'delivering' | 'delivered' | 'failed';
}

export interface EventBusOptions {
  readonly rules: readonly LocalRule[];
  readonly region: string;
  readonly accountId: string;
  readonly deliver: TargetDelivery;
  readonly log: ActivityLog;
}

const MAX_KEPT_DELIVERIES = 10_000;

/** The time format of AWS events: seconds, no fraction. */
export function eventTime(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The default event bus of the local cloud: every published event is matched against the enabled
 * rules' patterns (EventBridge content filtering) and delivered to each target of each matching
 * rule; scheduled rules fire on their expressions. Lambda targets are invoked asynchronously; SQS
 * (in the target's message group, for a FIFO queue) and SNS targets receive the event as JSON text.
 *
 * @example
 * const bus = startEventBus({ rules: wiring.rules, region, accountId, deliver, log });
 * bus.publish(objectCreatedEvent);
 */
export function startEventBus(options: EventBusOptions) {
  const timers = new Set<NodeJS.Timeout>();
  const deliveries: Delivery[] = [];

  function payloadFor(target: RuleTarget, event: AwsEvent): unknown {
    if (target.input !== undefined) return JSON.parse(target.input);
    if (target.inputPath === undefined || target.inputPath === '$') return event;
    return target.inputPath
      .replace(/^\$\.?/, '')
      .split('.')
      .reduce<unknown>(
        (value, key) => (value as Record<string, unknown> | undefined)?.[key],
        event,
      );
  }

  /** Hands the event to the target; resolves with whether the target took it (and, for a function, ran). */
  async function deliver(rule: LocalRule, target: RuleTarget, event: AwsEvent): Promise<boolean> {
    const payload = payloadFor(target, event);
    const [, , service] = target.arn.split(':');
    try {
      if (service === 'lambda')
        return await options.deliver.lambda(target.arn, payload, rule.logicalId);
      if (service === 'sqs') {
        const group = target.messageGroupId;
        return await options.deliver.sqs(
          target.arn,
          JSON.stringify(payload),
          group === undefined ? {} : { messageGroupId: group },
        );
      }
      if (service === 'sns') await options.deliver.sns(target.arn, JSON.stringify(payload));
      else throw new Error('this kind of target is not emulated locally');
      return true;
    } catch (error) {
      options.log('events', `${rule.logicalId} → ${target.arn}: ${String(error)}`);
      // EventBridge parks what it could not deliver in the target's dead-letter queue: the event,
      // with attributes that say which rule and target gave up, and why.
      if (target.deadLetterArn !== undefined)
        void options.deliver.sqs(target.deadLetterArn, JSON.stringify(event), {
          attributes: {
            RULE_ARN: rule.arn,
            TARGET_ARN: target.arn,
            ERROR_CODE: 'SDKClientException',
            ERROR_MESSAGE: String(error),
            EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
          },
        });
      return false;
    }
  }

  function deliverToRule(rule: LocalRule, event: AwsEvent): void {
    const destinations = rule.targets.map((target) => target.arn.split(':').pop()).join(', ');
    const subject = eventSubject(event);
    options.log(
      'events',
      `${event['detail-type']}${subject === '' ? '' : ` ${subject}`} → ${rule.logicalId} → ${destinations}`,
    );
    for (const target of rule.targets) {
      const delivery: Delivery = {
        sequence: (deliveries.at(-1)?.sequence ?? 0) + 1,
        event,
        rule: rule.logicalId,
        targetArn: target.arn,
        status: 'delivering',
      };
      deliveries.push(delivery);
      // A long `npm start` keeps the recent past only.
      if (deliveries.length > MAX_KEPT_DELIVERIES) deliveries.shift();
      void deliver(rule, target, event).then((taken) => {
        delivery.status = taken ? 'delivered' : 'failed';
      });
    }
  }

  function later(run: () => void, delayMs: number): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, delayMs);
    timers.add(timer);
  }

  // EnableRule and DisableRule change this, as they change a deployed rule's state.
  const enabledRules = new Set(
    options.rules.filter((rule) => rule.enabled).map((rule) => rule.logicalId),
  );
  const isEnabled = (rule: LocalRule) => enabledRules.has(rule.logicalId);
  const ruleNamed = (name: string) =>
    options.rules.find((rule) => rule.logicalId === name || rule.name === name);

  function fire(rule: LocalRule, scheduledTime = new Date()): string {
    const event: AwsEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: options.accountId,
      time: eventTime(scheduledTime),
      region: options.region,
      resources: [rule.arn],
      detail: {},
    };
    deliverToRule(rule, event);
    return event.id;
  }

  function schedule(rule: LocalRule, expression: string): void {
    try {
      const next = nextScheduledTime(expression, new Date());
      later(() => {
        if (isEnabled(rule)) fire(rule);
        schedule(rule, expression);
      }, next.getTime() - Date.now());
    } catch (error) {
      options.log('events', `${rule.logicalId}: ${(error as Error).message}`);
    }
  }

  // Every scheduled rule keeps its clock; a disabled one lets its ticks pass, as EventBridge does.
  for (const rule of options.rules) {
    if (rule.scheduleExpression !== undefined) schedule(rule, rule.scheduleExpression);
  }

  return {
    /** Every event handed to a target so far, oldest first. */
    deliveries: deliveries as readonly Delivery[],
    /**
     * Routes an event to the targets of every enabled rule whose pattern matches it; returns
     * those rules' logical ids, so that the sender can say when no rule took it.
     */
    publish(event: AwsEvent): readonly string[] {
      const matching = options.rules.filter(
        (rule) =>
          isEnabled(rule) &&
          rule.eventPattern !== undefined &&
          matchesEventPattern(rule.eventPattern, event),
      );
      for (const rule of matching) deliverToRule(rule, event);
      return matching.map((rule) => rule.logicalId);
    },
    /**
     * Fires a scheduled rule now, by logical id or name, as if scheduled for `scheduledTime`;
     * returns the id of the event it sent, or undefined when no enabled scheduled rule has that name.
     */
    fireSchedule(ruleName: string, scheduledTime?: Date): string | undefined {
      const rule = ruleNamed(ruleName);
      return rule?.scheduleExpression === undefined || !isEnabled(rule)
        ? undefined
        : fire(rule, scheduledTime);
    },
    /** EnableRule/DisableRule by name or logical id; false when the stack has no such rule. */
    setRuleEnabled(ruleName: string, enabled: boolean): boolean {
      const rule = ruleNamed(ruleName);
      if (rule === undefined) return false;
      if (enabled) enabledRules.add(rule.logicalId);
      else enabledRules.delete(rule.logicalId);
      return true;
    },
    /** DescribeRule: the rule with its current state, or undefined when the stack has none. */
    describeRule(ruleName: string): (LocalRule & { readonly enabled: boolean }) | undefined {
      const rule = ruleNamed(ruleName);
      return rule === undefined ? undefined : { ...rule, enabled: isEnabled(rule) };
    },
    /** Stops the schedules; deliveries under way end with the functions. */
    close(): void {
      timers.forEach(clearTimeout);
      timers.clear();
    },
  };
}

export type EventBus = ReturnType<typeof startEventBus>;
