import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { ActivityLog } from './activity-log';
import { type AwsEvent, type EventBus, eventTime } from './event-bus';
import { eventSubject } from './event-subject';
import { listenOnLoopback } from './loopback-port';
import { type AdaptedSample, isSample } from './sample-event';

export interface ControlEndpointOptions {
  readonly port: number;
  readonly bus: EventBus;
  /** Sends a message to one of the stack's queues (by name or ARN); false if there is none. */
  readonly sendToQueue: (queue: string, body: string) => boolean;
  readonly region: string;
  readonly accountId: string;
  /** Which local cloud this is, for `GET /status`: another start finds out who holds the ports. */
  readonly stateDirectory: string;
  /** For `GET /status`: the stack this cloud runs and where its services listen (for `mlops --local`). */
  readonly stackName: string;
  readonly endpoints: Readonly<Record<string, string>>;
  readonly log: ActivityLog;
  /** Adapts a sample of events/ (written for the dev stage) to the running stack. */
  readonly adaptSample: (sample: unknown) => Promise<AdaptedSample>;
}

/** What `GET /status` answers: this is a local cloud of this project, and which one. */
export interface LocalCloudStatus {
  readonly localCloud: 'mlops-control-plane';
  readonly pid: number;
  readonly stateDirectory: string;
  readonly stackName: string;
  readonly region: string;
  /** Each local service's URL, by service (`sageMaker`, `sqs`, `stackApi`, ...). */
  readonly endpoints: Readonly<Record<string, string>>;
}

/**
 * The local cloud's own control surface, which AWS has no API for:
 * - `GET /deliveries`: every event handed to a rule target and whether it arrived (and, for a
 *   function, whether it ran), so a client can wait for an event's consequences;
 * - `POST /schedules/<rule>[?time=<ISO time>]`: fires a scheduled rule now (by logical id or
 *   name), as if for the given time;
 * - `POST /events`: puts any event on the bus, `aws.*` sources included (which PutEvents refuses),
 *   to try a rule or a notification; a sample of events/ (of the samples' account) is adapted to
 *   the running stack first, as `npm run event` adapts it, and a scheduled one fires its rule;
 * - `POST /queues/<queue>`: sends the body as a message to a queue of the stack (by name or ARN),
 *   as a bucket notification to SQS would;
 * - `GET /status`: that a local cloud of this project listens here, its process and state folder,
 *   its stack and the URL of each of its services (what `mlops --local` points the SDK at).
 *
 * @example
 * await fetch('http://127.0.0.1:4580/schedules/MonthlyRetrainingSchedule', { method: 'POST' });
 */
export async function startControlEndpoint(options: ControlEndpointOptions) {
  async function route(method: string, url: URL, body: string): Promise<[number, unknown]> {
    const path = url.pathname;
    if (method === 'GET' && path === '/deliveries') return [200, options.bus.deliveries];
    if (method === 'GET' && path === '/status') {
      const status: LocalCloudStatus = {
        localCloud: 'mlops-control-plane',
        pid: process.pid,
        stateDirectory: options.stateDirectory,
        stackName: options.stackName,
        region: options.region,
        endpoints: options.endpoints,
      };
      return [200, status];
    }
    const queue = /^\/queues\/([^/]+)$/.exec(path)?.[1];
    if (method === 'POST' && queue !== undefined) {
      const name = decodeURIComponent(queue);
      return options.sendToQueue(name, body)
        ? [200, { sent: name }]
        : [404, { message: `No queue ${name} in the local stack` }];
    }
    const schedule = /^\/schedules\/([^/]+)$/.exec(path)?.[1];
    if (method === 'POST' && schedule !== undefined) {
      const id = options.bus.fireSchedule(
        decodeURIComponent(schedule),
        scheduledTime(url.searchParams.get('time')),
      );
      return id === undefined
        ? [404, { message: `No enabled scheduled rule ${schedule}` }]
        : [200, { fired: schedule, id }];
    }
    if (method === 'POST' && path === '/events') {
      const posted = JSON.parse(body) as Partial<AwsEvent>;
      return isSample(posted) ? postSample(posted) : [200, publish(completeEvent(posted, options))];
    }
    return [404, { message: `${method} ${path} is not part of the local control API` }];
  }

  function publish(event: AwsEvent): { id: string; rules: readonly string[] } {
    const rules = options.bus.publish(event);
    if (rules.length === 0) {
      options.log('events', `${event['detail-type']} ${eventSubject(event)}: no rule matches`);
    }
    return { id: event.id, rules };
  }

  /** A sample names the dev stage: as posted it would match no rule of the local stack. */
  async function postSample(sample: unknown): Promise<[number, unknown]> {
    const { delivery, changes } = await options.adaptSample(sample);
    if (delivery.kind === 'event') {
      // A fresh id, as EventBridge gives every event it receives: each post is followed on its own.
      const event = completeEvent({ ...delivery.event, id: randomUUID() }, options);
      return [200, { ...publish(event), changes }];
    }
    if (delivery.kind === 'schedule') {
      const id = options.bus.fireSchedule(delivery.rule, new Date(delivery.time));
      return id === undefined
        ? [404, { message: `No enabled scheduled rule ${delivery.rule}`, changes }]
        : [200, { id, rules: [delivery.rule], changes }];
    }
    return [400, { message: 'Not an EventBridge event: npm run event delivers it', changes }];
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let answer: [number, unknown];
    try {
      answer = await route(
        request.method ?? 'GET',
        new URL(request.url ?? '/', 'http://local'),
        Buffer.concat(chunks).toString('utf8'),
      );
    } catch (error) {
      answer = [400, { message: String(error) }];
    }
    response.writeHead(answer[0], { 'content-type': 'application/json' });
    response.end(JSON.stringify(answer[1]));
  }

  const server = createServer((request, response) => void handle(request, response));
  await listenOnLoopback(server, options.port);
  return {
    url: `http://127.0.0.1:${options.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** `?time=2026-11-01T12:00:00Z`: the time a schedule fires for (a missed day, say); default now. */
function scheduledTime(text: string | null): Date | undefined {
  if (text === null) return undefined;
  const time = new Date(text);
  if (Number.isNaN(time.getTime())) throw new Error(`time=${text} is not an ISO 8601 time`);
  return time;
}

/** A sample event with what EventBridge fills in (id, time, account, region) where it lacks them. */
function completeEvent(event: Partial<AwsEvent>, options: ControlEndpointOptions): AwsEvent {
  if (typeof event.source !== 'string' || typeof event['detail-type'] !== 'string') {
    throw new Error('An event needs a source and a detail-type');
  }
  return {
    version: '0',
    id: randomUUID(),
    account: options.accountId,
    region: options.region,
    time: eventTime(),
    resources: [],
    detail: {},
    ...event,
  } as AwsEvent;
}
