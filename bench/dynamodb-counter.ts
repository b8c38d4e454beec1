import { createServer, request as httpRequest, type Server } from 'node:http';

export interface DynamoDbCounter {
  endpoint: string;
  /** Requests per "Operation table[,table]", e.g. "TransactWriteItems refarch-bench-VoteAppAggregates,...". */
  counts: Map<string, number>;
  setTarget(url: string): void;
  stop(): Promise<void>;
}

/**
 * A pass-through proxy in front of DynamoDB Local that counts requests per operation and tables,
 * so a benchmark can report requests per unit of work. Its target is set once DynamoDB Local is up.
 */
export async function startDynamoDbCounter(): Promise<DynamoDbCounter> {
  let upstream: URL | undefined;
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const key = `${String(req.headers['x-amz-target'] ?? 'unknown')
        .split('.')
        .pop()} ${tablesOf(body).join(',')}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const forward = httpRequest(
        { host: upstream!.hostname, port: upstream!.port, path: req.url, method: req.method, headers: req.headers },
        (upstreamResponse) => {
          res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
          upstreamResponse.pipe(res);
        },
      );
      forward.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    setTarget: (url) => {
      upstream = new URL(url);
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function tablesOf(body: Buffer): string[] {
  try {
    const request = JSON.parse(body.toString('utf8')) as {
      TableName?: string;
      RequestItems?: object;
      TransactItems?: Array<Record<string, { TableName: string }>>;
    };
    const tables = new Set<string>();
    if (request.TableName) tables.add(request.TableName);
    for (const name of Object.keys(request.RequestItems ?? {})) tables.add(name);
    for (const item of request.TransactItems ?? [])
      for (const action of Object.values(item)) tables.add(action.TableName);
    return [...tables].sort();
  } catch {
    return [];
  }
}
