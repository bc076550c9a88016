import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { InvalidEventError } from '../../functions/errors';
import { detailType, eventBridgeHandler } from '../../functions/runtime/eventbridge-handler';

const pingSchema = z.object({
  id: z.string(),
  'detail-type': z.literal('Ping'),
  detail: z.object({ count: z.number() }),
});
const pongSchema = z.object({ id: z.string(), 'detail-type': z.literal('Pong') });

function setUp() {
  const logger = new Logger({ logLevel: 'SILENT' });
  const metrics = new Metrics();
  const errors = jest.spyOn(logger, 'error');
  const addMetric = jest.spyOn(metrics, 'addMetric');
  const handle = eventBridgeHandler({ logger, metrics }, 'a ping or a pong', {
    Ping: detailType(pingSchema, async (event) => `ping ${event.detail.count}`),
    Pong: detailType(pongSchema, async (event) => `pong ${event.id}`),
  });
  return { handle, errors, addMetric };
}

describe('eventBridgeHandler: one envelope for every shell', () => {
  it('hands each detail-type to its handler, typed by its schema', async () => {
    const { handle, addMetric } = setUp();
    await expect(handle({ id: 'e1', 'detail-type': 'Ping', detail: { count: 3 } })).resolves.toBe(
      'ping 3',
    );
    await expect(handle({ id: 'e2', 'detail-type': 'Pong' })).resolves.toBe('pong e2');
    expect(addMetric).not.toHaveBeenCalled();
  });

  it.each<[string, unknown, string]>([
    ['another detail-type', { id: 'e3', 'detail-type': 'Pang' }, 'Event "e3": detail-type "Pang"'],
    ['no detail-type', { id: 'e4' }, 'Event "e4": detail-type "undefined"'],
    ['a name on every object', { id: 'e5', 'detail-type': 'constructor' }, '"constructor"'],
    ['no event at all', null, 'Event (no id): detail-type "undefined"'],
  ])('rejects %s, naming it and what the function accepts', async (_why, event, named) => {
    const { handle, errors, addMetric } = setUp();
    const rejection = handle(event);
    await expect(rejection).rejects.toThrow(InvalidEventError);
    await expect(rejection).rejects.toThrow(named);
    await expect(rejection).rejects.toThrow('is not a ping or a pong');
    expect(errors).toHaveBeenCalledWith('Event rejected; nothing was done for it', {
      error: expect.any(InvalidEventError),
    });
    expect(addMetric).toHaveBeenCalledWith('EventsRejected', 'Count', 1);
  });

  it("rejects an event its detail-type's schema refuses, naming the field", async () => {
    const { handle, addMetric } = setUp();
    await expect(
      handle({ id: 'e6', 'detail-type': 'Ping', detail: { count: 'three' } }),
    ).rejects.toThrow(/Event "e6" is invalid: detail\.count/);
    expect(addMetric).toHaveBeenCalledWith('EventsRejected', 'Count', 1);
  });

  it('lets a failure of the work itself through, not counted as a rejection', async () => {
    const logger = new Logger({ logLevel: 'SILENT' });
    const metrics = new Metrics();
    const addMetric = jest.spyOn(metrics, 'addMetric');
    const handle = eventBridgeHandler({ logger, metrics }, 'a pong', {
      Pong: detailType(pongSchema, async () => {
        throw new Error('ThrottlingException');
      }),
    });
    await expect(handle({ id: 'e7', 'detail-type': 'Pong' })).rejects.toThrow(
      'ThrottlingException',
    );
    expect(addMetric).not.toHaveBeenCalled();
  });
});
