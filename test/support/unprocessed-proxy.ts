import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { Context } from 'aws-lambda';

/** A Lambda context for running a handler module in the test process. */
export function lambdaContext(functionName = 'test'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 60_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

export interface UnprocessedProxy {
  endpoint: string;
  /** Which put items of a BatchWriteItem to answer as UnprocessedItems instead of forwarding. */
  holdBack: (item: Record<string, unknown>) => boolean;
  onRequest: (heldBack: number) => void;
  stop(): Promise<void>;
}

type WriteRequest = { PutRequest?: { Item: Record<string, { S?: string }> } };

/**
 * A proxy in front of DynamoDB Local. A BatchWriteItem is split: the items `holdBack` picks are
 * answered as UnprocessedItems (what DynamoDB does under throttling), the rest is forwarded and
 * really written. Every other request passes through unchanged.
 */
export async function startUnprocessedProxy(upstream: string): Promise<UnprocessedProxy> {
  const proxy: UnprocessedProxy = { endpoint: '', holdBack: () => false, onRequest: () => {}, stop: async () => {} };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const isBatchWrite = String(req.headers['x-amz-target']).endsWith('.BatchWriteItem');
    const { forward, heldBack } = isBatchWrite
      ? splitBatchWrite(body, proxy.holdBack)
      : { forward: body, heldBack: {} };
    const heldCount = Object.values(heldBack).flat().length;
    if (isBatchWrite) proxy.onRequest(heldCount);
    const hasWork = !isBatchWrite || Object.keys(JSON.parse(forward).RequestItems).length > 0;
    const upstreamResponse = hasWork
      ? await fetch(upstream, { method: 'POST', headers: forwardedHeaders(req.headers), body: forward })
      : undefined;
    if (!isBatchWrite || heldCount === 0) {
      res.writeHead(upstreamResponse!.status, {
        'content-type': upstreamResponse!.headers.get('content-type') ?? 'application/x-amz-json-1.0',
      });
      res.end(await upstreamResponse!.text());
      return;
    }
    // The CRC32 header of the upstream response no longer matches: answer with a fresh body.
    const processed = upstreamResponse
      ? ((await upstreamResponse.json()) as { UnprocessedItems?: Record<string, WriteRequest[]> })
      : {};
    const unprocessed = mergeRequests(processed.UnprocessedItems ?? {}, heldBack);
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
    res.end(JSON.stringify({ UnprocessedItems: unprocessed }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  proxy.endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  proxy.stop = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}

function splitBatchWrite(body: string, holdBack: (item: Record<string, unknown>) => boolean) {
  const request = JSON.parse(body) as { RequestItems: Record<string, WriteRequest[]> };
  const forwardItems: Record<string, WriteRequest[]> = {};
  const heldBack: Record<string, WriteRequest[]> = {};
  for (const [table, writes] of Object.entries(request.RequestItems)) {
    for (const write of writes) {
      const plain = Object.fromEntries(
        Object.entries(write.PutRequest?.Item ?? {}).map(([name, value]) => [name, value.S]),
      );
      ((holdBack(plain) ? heldBack : forwardItems)[table] ??= []).push(write);
    }
  }
  return { forward: JSON.stringify({ ...request, RequestItems: forwardItems }), heldBack };
}

function mergeRequests(
  a: Record<string, WriteRequest[]>,
  b: Record<string, WriteRequest[]>,
): Record<string, WriteRequest[]> {
  const merged: Record<string, WriteRequest[]> = { ...a };
  for (const [table, writes] of Object.entries(b)) merged[table] = [...(merged[table] ?? []), ...writes];
  return merged;
}

/** The client's headers (its credentials pick DynamoDB Local's namespace), minus what the new body changes. */
function forwardedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const forwarded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string' && !['content-length', 'host', 'connection', 'x-amz-crc32'].includes(name))
      forwarded[name] = value;
  }
  return forwarded;
}
