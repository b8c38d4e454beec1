/**
 * Preloaded into kinesis-mock (`node --import <this file> main.js`) so that it listens on 127.0.0.1
 * only. kinesis-mock has no setting for the address it listens on: it asks its HTTP server (http4s
 * Ember on Node) for host 0.0.0.0, which calls `net.Server#listen(port)` without a host, i.e. every
 * interface. This wraps `listen` in that process only: a call without a host, or with a wildcard host,
 * gets 127.0.0.1; an explicit address, a Unix socket path or a handle is left as it is.
 */
import { Server, type ListenOptions } from 'node:net';

const LOOPBACK = '127.0.0.1';
const WILDCARDS = new Set(['', '0.0.0.0', '::', '[::]']);
const listen = Server.prototype.listen as (this: Server, ...args: unknown[]) => Server;

function loopbackListenArgs(args: unknown[]): unknown[] {
  const [first, second, ...rest] = args;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof second === 'string') return [first, WILDCARDS.has(second) ? LOOPBACK : second, ...rest];
    return args.length > 1 ? [first, LOOPBACK, second, ...rest] : [first, LOOPBACK];
  }
  if (first === undefined && args.length === 0) return [0, LOOPBACK];
  if (first && typeof first === 'object' && 'port' in first && !('path' in first) && !('fd' in first) && !('handle' in first)) {
    const options = first as ListenOptions;
    if (options.host === undefined || WILDCARDS.has(options.host)) return [{ ...options, host: LOOPBACK }, ...args.slice(1)];
  }
  return args;
}

Server.prototype.listen = function loopbackListen(this: Server, ...args: unknown[]): Server {
  return listen.apply(this, loopbackListenArgs(args));
} as Server['listen'];
