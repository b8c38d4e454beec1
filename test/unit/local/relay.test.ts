import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../local/net.ts';
import { startRelay, type Relay } from '../../../local/services/relay.ts';

// The relay in front of the Kinesis mock: a Kinesis outage is the relay refusing connections.
let echo: Server;
let relay: Relay;
afterEach(async () => {
  await relay?.close();
  await new Promise((resolve) => echo?.close(resolve));
});

async function echoServer(port: number): Promise<Server> {
  const server = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

/** Sends a line through the port; resolves to the echo, or to 'closed' when the connection is cut. */
function roundTrip(port: number, text: string, keep?: (socket: Socket) => void): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    keep?.(socket);
    socket.once('data', (data) => resolve(data.toString()));
    socket.once('close', () => resolve('closed'));
    socket.once('error', () => undefined);
  });
}

describe('startRelay', () => {
  it('passes bytes both ways, cuts open connections and refuses new ones while refusing, then accepts again', async () => {
    const [publicPort, targetPort] = [await freePort(), await freePort()];
    echo = await echoServer(targetPort);
    relay = await startRelay(publicPort, targetPort);
    expect(await roundTrip(publicPort, 'ping')).toBe('ping');

    let held: Socket | undefined;
    await roundTrip(publicPort, 'hold', (socket) => { held = socket; });
    const cut = new Promise((resolve) => held!.once('close', resolve));
    relay.refuse();
    await cut;
    expect(held!.destroyed).toBe(true);
    expect(await roundTrip(publicPort, 'while down')).toBe('closed');

    relay.accept();
    expect(await roundTrip(publicPort, 'back')).toBe('back');
  });
});
