import { type Server, createServer } from 'node:net';

/**
 * Starts a server on 127.0.0.1 only (the local cloud is never reachable from the network).
 *
 * @example
 * await listenOnLoopback(httpServer, 4599);
 */
export function listenOnLoopback(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** A port the system says is free now, for tests that must not collide with a running local cloud. */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await listenOnLoopback(server, 0);
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port assigned');
  return address.port;
}

/** Whether something already listens on the port (or the system refuses it). */
export async function isPortTaken(port: number): Promise<boolean> {
  const server = createServer();
  try {
    await listenOnLoopback(server, port);
  } catch {
    return true;
  }
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return false;
}
