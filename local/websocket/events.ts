import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ConnectionInfo } from './model.ts';

/** Where the events of one API come from: its id, stage and the gateway's host. */
export interface EventSource {
  apiId: string;
  stage: string;
  domainName: string;
}

/** API Gateway's requestTime format: `01/Dec/2025:22:15:03 +0000`. */
function requestTime(date: Date): string {
  const [, day, month, year, time] = /^\w+, (\d+) (\w+) (\d+) ([\d:]+)/.exec(date.toUTCString()) ?? [];
  return `${day}/${month}/${year}:${time} +0000`;
}

function requestContext(source: EventSource, connection: ConnectionInfo, routeKey: string, eventType: string) {
  const now = new Date();
  return {
    routeKey,
    eventType,
    extendedRequestId: randomUUID(),
    requestTime: requestTime(now),
    messageDirection: 'IN',
    stage: source.stage,
    connectedAt: connection.connectedAt,
    requestTimeEpoch: now.getTime(),
    identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent },
    requestId: randomUUID(),
    domainName: source.domainName,
    connectionId: connection.connectionId,
    apiId: source.apiId,
  };
}

/** `$connect`: the upgrade request's headers and query string come along (only here, as on AWS). */
export function connectEvent(source: EventSource, connection: ConnectionInfo, request: IncomingMessage) {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    headers[name] = [value].flat().join(',');
    multiValueHeaders[name] = [value].flat();
  }
  const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
  const parameters = Object.fromEntries(query);
  const multiValue: Record<string, string[]> = {};
  for (const [name, value] of query) (multiValue[name] ??= []).push(value);
  return {
    headers,
    multiValueHeaders,
    ...(query.size ? { queryStringParameters: parameters, multiValueQueryStringParameters: multiValue } : {}),
    requestContext: requestContext(source, connection, '$connect', 'CONNECT'),
    isBase64Encoded: false,
  };
}

export function messageEvent(
  source: EventSource,
  connection: ConnectionInfo,
  routeKey: string,
  data: Buffer,
  isBinary: boolean,
) {
  return {
    requestContext: { ...requestContext(source, connection, routeKey, 'MESSAGE'), messageId: randomUUID() },
    body: isBinary ? data.toString('base64') : data.toString('utf8'),
    isBase64Encoded: isBinary,
  };
}

export function disconnectEvent(source: EventSource, connection: ConnectionInfo, statusCode: number, reason: string) {
  return {
    headers: { Host: source.domainName },
    multiValueHeaders: { Host: [source.domainName] },
    requestContext: {
      ...requestContext(source, connection, '$disconnect', 'DISCONNECT'),
      disconnectStatusCode: statusCode,
      disconnectReason: reason,
    },
    isBase64Encoded: false,
  };
}
