import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalCloudStatus } from './control-endpoint';
import type { Delivery } from './event-bus';

/**
 * A client of the local cloud's control API (see control-endpoint.ts), for the tools that drive
 * a running local cloud: the demo, `npm run event`, the tests.
 *
 * @example
 * const control = controlClient('http://127.0.0.1:4580');
 * const { id } = await control.fireSchedule('mlops-control-plane-local-daily-scoring');
 * console.log(await control.settledDeliveries(id));
 */
export function controlClient(controlUrl: string) {
  async function call<T>(method: 'GET' | 'POST', path: string, body?: string): Promise<T> {
    const response = await fetch(`${controlUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { body }),
    });
    const answer = (await response.json()) as T & { message?: string };
    if (!response.ok) throw new Error(answer.message ?? `${method} ${path}: ${response.status}`);
    return answer;
  }

  async function deliveries(): Promise<Delivery[]> {
    return call<Delivery[]>('GET', '/deliveries');
  }

  return {
    /** Puts an event on the bus; EventBridge fills in what it lacks (id, time, account). */
    postEvent: (event: unknown) =>
      call<{ id: string; rules: string[] }>('POST', '/events', JSON.stringify(event)),

    /** Sends a message to a queue of the stack, by name or ARN. */
    sendToQueue: (queue: string, body: string) =>
      call<{ sent: string }>('POST', `/queues/${encodeURIComponent(queue)}`, body),

    /** Fires a scheduled rule now, as if for `time` (default now). */
    fireSchedule: (rule: string, time?: Date) =>
      call<{ id: string }>(
        'POST',
        `/schedules/${encodeURIComponent(rule)}${time === undefined ? '' : `?time=${time.toISOString()}`}`,
      ),

    /**
     * The deliveries of one event to the targets of the rules it matched, once none is under way
     * any more (a function's retries included).
     */
    async settledDeliveries(eventId: string, timeoutMs = 30_000): Promise<Delivery[]> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const ofEvent = (await deliveries()).filter((delivery) => delivery.event.id === eventId);
        if (!ofEvent.some((delivery) => delivery.status === 'delivering')) return ofEvent;
        if (Date.now() > deadline) {
          throw new Error(`Timed out after ${timeoutMs} ms waiting for the targets of ${eventId}`);
        }
        await sleep(100);
      }
    },
  };
}

/**
 * Which local cloud of this project listens at a control URL, or undefined when none does
 * (nothing listens, or something else that does not answer like one).
 *
 * @example
 * const running = await localCloudStatus('http://127.0.0.1:4580'); // { localCloud: 'mlops-control-plane', pid: 4242, ... }
 */
export async function localCloudStatus(controlUrl: string): Promise<LocalCloudStatus | undefined> {
  try {
    const response = await fetch(`${controlUrl}/status`, { signal: AbortSignal.timeout(2000) });
    const status = (await response.json()) as Partial<LocalCloudStatus>;
    return status.localCloud === 'mlops-control-plane' ? (status as LocalCloudStatus) : undefined;
  } catch {
    return undefined;
  }
}
