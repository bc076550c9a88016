import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { ActivityLog } from './activity-log';
import { type AwsEvent, type EventBus, eventTime } from './event-bus';
import { listenOnLoopback } from './loopback-port';

interface PutEventsEntry {
  readonly Source?: string;
  readonly DetailType?: string;
  readonly Detail?: string;
  readonly Resources?: string[];
  readonly EventBusName?: string;
}

export interface LocalEventBridgeOptions {
  readonly port: number;
  readonly region: string;
  readonly accountId: string;
  /** The local default bus: every event put is matched against the stack's rules. */
  readonly publish: (event: AwsEvent) => void;
  /** The stack's rules, whose state EnableRule and DisableRule change. */
  readonly rules: Pick<EventBus, 'setRuleEnabled' | 'describeRule'>;
  readonly log: ActivityLog;
}

/**
 * EventBridge over the AWS JSON 1.1 protocol, so the unchanged SDK reaches it through
 * AWS_ENDPOINT_URL_EVENTBRIDGE. PutEvents: each entry goes on the local bus (the stack's rules see
 * it) and shows in the activity log with its summary. EnableRule, DisableRule and DescribeRule
 * act on the stack's rules (a disabled schedule lets its ticks pass). Entries are refused as the service refuses them:
 * an `aws.` source, a detail that is not a JSON object.
 *
 * @example
 * const events = await startLocalEventBridge({ port: 4587, region, accountId, publish, log });
 */
export async function startLocalEventBridge(options: LocalEventBridgeOptions) {
  function putEntry(entry: PutEventsEntry): Record<string, string> {
    const source = entry.Source ?? '';
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail ?? '');
    } catch {
      detail = undefined;
    }
    if (source === '' || source.startsWith('aws.')) {
      return {
        ErrorCode: 'NotAuthorizedForSourceException',
        ErrorMessage: `Not authorized for the source ${source}`,
      };
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    const event: AwsEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType ?? '',
      source,
      account: options.accountId,
      time: eventTime(),
      region: options.region,
      resources: entry.Resources ?? [],
      detail: detail as Record<string, unknown>,
    };
    const summary = (detail as { summary?: unknown }).summary;
    options.log(
      'events',
      `${event['detail-type']} (${source}, bus ${entry.EventBusName ?? 'default'})${typeof summary === 'string' ? `: ${summary}` : ''}`,
    );
    options.publish(event);
    return { EventId: event.id };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = String(request.headers['x-amz-target']);
    const operation = operations[target];
    if (operation === undefined) {
      reply(response, 400, {
        __type: 'UnknownOperationException',
        message: `${target} is not emulated locally`,
      });
      return;
    }
    const [status, body] = operation(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    reply(response, status, body);
  }

  function setRuleState(enabled: boolean) {
    return ({ Name }: { Name?: string }): [number, unknown] => {
      if (!options.rules.setRuleEnabled(String(Name), enabled)) return ruleNotFound(Name);
      options.log('events', `rule ${String(Name)} ${enabled ? 'enabled' : 'disabled'}`);
      return [200, {}];
    };
  }

  const operations: Record<string, (request: Record<string, unknown>) => [number, unknown]> = {
    'AWSEvents.PutEvents': ({ Entries = [] }) => {
      const results = (Entries as PutEventsEntry[]).map(putEntry);
      return [
        200,
        {
          FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length,
          Entries: results,
        },
      ];
    },
    'AWSEvents.EnableRule': setRuleState(true),
    'AWSEvents.DisableRule': setRuleState(false),
    'AWSEvents.DescribeRule': ({ Name }) => {
      const rule = options.rules.describeRule(String(Name));
      if (rule === undefined) return ruleNotFound(Name);
      return [
        200,
        {
          Name: rule.name,
          Arn: rule.arn,
          State: rule.enabled ? 'ENABLED' : 'DISABLED',
          ...(rule.scheduleExpression === undefined
            ? {}
            : { ScheduleExpression: rule.scheduleExpression }),
          ...(rule.eventPattern === undefined
            ? {}
            : { EventPattern: JSON.stringify(rule.eventPattern) }),
          EventBusName: 'default',
        },
      ];
    },
  };

  const server = createServer((request, response) => void handle(request, response));
  await listenOnLoopback(server, options.port);
  return {
    url: `http://127.0.0.1:${options.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function ruleNotFound(name: unknown): [number, unknown] {
  return [
    400,
    { __type: 'ResourceNotFoundException', message: `Rule ${String(name)} does not exist.` },
  ];
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  response.end(JSON.stringify(body));
}
