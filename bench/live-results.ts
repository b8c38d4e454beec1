import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { WebSocket } from 'ws';
import { LOCAL_CREDENTIALS, localTokens, startLocalCloud, type LocalCloud } from '@refarch/local-cloud';
import { stage, type Stage } from '../scripts/lib/progress.ts';
import { startDynamoDbCounter, type DynamoDbCounter } from './dynamodb-counter.ts';

/** One viewer: its socket, and when it first saw each total (total -> ms since the time origin). */
interface Viewer {
  socket: WebSocket;
  seen: Map<number, number>;
}

/**
 * Live results on the local cloud: `viewers` WebSocket connections to the results API, then `votes` votes one
 * after another. Reports vote accepted (HTTP 200) -> totals with that vote received, over every viewer and vote;
 * the invocations and table reads while nothing changes (a quiet period); and side by side, the polling page
 * it replaces (computed: viewers x 2 polls/s, each an invocation and a read) and the bare limit (one frame
 * posted straight to every connection through the @connections API, no Lambda, no table).
 */
export async function run(args: string[], progress: Stage = stage()): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      viewers: { type: 'string', default: '1000' },
      votes: { type: 'string', default: '20' },
      quiet: { type: 'string', default: '10' },
    },
  });
  const [viewerCount, voteCount, quietS] = [Number(values.viewers), Number(values.votes), Number(values.quiet)];
  progress.set('starting a local cloud');
  const counter = await startDynamoDbCounter();
  const serviceDir = resolve(import.meta.dirname, '..');
  const cloud = await startLocalCloud({
    serviceDir,
    stage: 'bench',
    stateDir: join(serviceDir, '.local', 'bench-live'),
    onLog: () => {},
    functionEnvironment: (endpoints) => {
      counter.setTarget(endpoints.dynamodb);
      return { AWS_ENDPOINT_URL_DYNAMODB: counter.endpoint };
    },
  });
  try {
    progress.set('connecting viewers', viewerCount);
    const viewers = await connectViewers(cloud.endpoints.websocket!, viewerCount, (n) => progress.done(n));
    progress.set(`quiet period (${quietS} s)`);
    const quiet = await quietPeriod(cloud, counter, quietS * 1000);
    progress.set('casting votes', voteCount);
    const latencies = await castAndWatch(cloud, viewers, voteCount, (n) => progress.done(n));
    progress.set('bare limit: one frame posted to every connection');
    const bareMs = await postToAll(cloud.functionEnvironment('pushTotals').WEBSOCKET_ENDPOINT!, viewers, cloud);
    const pollLatency = await pollingLatency(cloud.endpoints.http);
    for (const viewer of viewers) viewer.socket.terminate();
    report({ viewerCount, voteCount, quietS, latencies, quiet, bareMs, pollLatency });
  } finally {
    await cloud.stop();
    await counter.stop();
  }
}

async function connectViewers(url: string, count: number, onOpen: (n: number) => void): Promise<Viewer[]> {
  const viewers: Viewer[] = [];
  // 25 upgrades at a time: each runs connectViewer, and a laptop's runtime keeps a few sandboxes per function.
  for (let start = 0; start < count; start += 25) {
    const batch = Array.from({ length: Math.min(25, count - start) }, () => openViewer(url));
    viewers.push(...(await Promise.all(batch)));
    onOpen(viewers.length);
  }
  return viewers;
}

function openViewer(url: string): Promise<Viewer> {
  const viewer: Viewer = { socket: new WebSocket(url), seen: new Map() };
  viewer.socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { type?: string; results?: { total: number } };
    if (frame.type === 'totals' && frame.results && !viewer.seen.has(frame.results.total))
      viewer.seen.set(frame.results.total, performance.now());
  });
  return new Promise((resolve, reject) => {
    viewer.socket.once('open', () => resolve(viewer));
    viewer.socket.once('error', reject);
  });
}

/** What runs while viewers are connected and nothing changes: function invocations and DynamoDB reads. */
async function quietPeriod(cloud: LocalCloud, counter: DynamoDbCounter, ms: number) {
  await sleep(2000); // the last connects' invocations finish first
  const invocations = () => cloud.runtime.stats().reduce((sum, f) => sum + f.invocations, 0);
  const reads = () =>
    [...counter.counts]
      .filter(([key]) => /^(GetItem|BatchGetItem|Query|Scan) /.test(key))
      .reduce((sum, [, n]) => sum + n, 0);
  const [invocations0, reads0] = [invocations(), reads()];
  await sleep(ms);
  return { invocations: invocations() - invocations0, reads: reads() - reads0 };
}

/** Casts votes one at a time (new voters: the total grows by one each); per vote, each viewer's delay from HTTP 200 to that total. */
async function castAndWatch(
  cloud: LocalCloud,
  viewers: Viewer[],
  count: number,
  onVote: (n: number) => void,
): Promise<number[]> {
  const tokenFor = localTokens(cloud.endpoints.console);
  const latencies: number[] = [];
  let total = await currentTotal(cloud.endpoints.http);
  for (let i = 0; i < count; i += 1) {
    const token = await tokenFor(`live-bench-${process.pid}-${i}`);
    const response = await fetch(`${cloud.endpoints.http}/votes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ candidate: ['RED', 'GREEN', 'BLUE'][i % 3] }),
    });
    const acceptedAt = performance.now();
    if (response.status !== 200) throw new Error(`vote refused: ${response.status} ${await response.text()}`);
    total += 1;
    const deadline = acceptedAt + 30_000;
    while (viewers.some((v) => !seenAtLeast(v, total)) && performance.now() < deadline) await sleep(5);
    for (const viewer of viewers) latencies.push((firstSeen(viewer, total) ?? Number.POSITIVE_INFINITY) - acceptedAt);
    onVote(i + 1);
    await sleep(200);
  }
  return latencies;
}

const seenAtLeast = (viewer: Viewer, total: number) => firstSeen(viewer, total) !== undefined;
const firstSeen = (viewer: Viewer, total: number) => {
  const times = [...viewer.seen].filter(([seen]) => seen >= total).map(([, at]) => at);
  return times.length ? Math.min(...times) : undefined;
};

async function currentTotal(apiUrl: string): Promise<number> {
  return ((await (await fetch(`${apiUrl}/results`)).json()) as { total: number }).total;
}

/** The bare limit: the time to post one frame to every viewer through the @connections API (50 in flight), until all have it. */
async function postToAll(endpoint: string, viewers: Viewer[], cloud: LocalCloud): Promise<number> {
  const client = new ApiGatewayManagementApiClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  const ids = await connectionIds(cloud);
  if (ids.length !== viewers.length) throw new Error(`${ids.length} connections stored for ${viewers.length} viewers`);
  const received = viewers.map((v) => new Promise<void>((resolve) => v.socket.once('message', () => resolve())));
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      for (let i = next++; i < ids.length; i = next++)
        await client.send(new PostToConnectionCommand({ ConnectionId: ids[i]!, Data: '{"type":"ping"}' }));
    }),
  );
  await Promise.all(received);
  return performance.now() - started;
}

/** The stored connection ids (ResultsConnections, read straight from DynamoDB Local: not counted). */
async function connectionIds(cloud: LocalCloud): Promise<string[]> {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: 'us-east-1', endpoint: cloud.endpoints.dynamodb, credentials: LOCAL_CREDENTIALS }),
  );
  const ids: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: `${cloud.model.stackName}-ResultsConnections`, ExclusiveStartKey: startKey }),
    );
    ids.push(...(page.Items ?? []).map((item) => String(item.ConnectionId)));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return ids;
}

/** GET /results latency (median of 50): a polling page sees a vote on average half a poll interval plus this later. */
async function pollingLatency(apiUrl: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 50; i += 1) {
    const started = performance.now();
    await (await fetch(`${apiUrl}/results`)).arrayBuffer();
    times.push(performance.now() - started);
  }
  return percentile(times, 0.5);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

interface Measured {
  viewerCount: number;
  voteCount: number;
  quietS: number;
  latencies: number[];
  quiet: { invocations: number; reads: number };
  bareMs: number;
  pollLatency: number;
}

function report(m: Measured): void {
  const ms = (value: number) => (Number.isFinite(value) ? Math.round(value) : 'missed');
  const missed = m.latencies.filter((l) => !Number.isFinite(l)).length;
  console.log(
    `\nlive-results: ${m.viewerCount} viewers on 127.0.0.1, ${m.voteCount} votes one at a time, quiet period ${m.quietS} s\n`,
  );
  console.table([
    {
      variant: 'pushed (WebSocket, pushTotals)',
      'vote -> every viewer p50 ms': ms(percentile(m.latencies, 0.5)),
      'p99 ms': ms(percentile(m.latencies, 0.99)),
      'missed deliveries': missed,
      'invocations in quiet period': m.quiet.invocations,
      'table reads in quiet period': m.quiet.reads,
    },
    {
      variant: 'baseline: polling GET /results every 500 ms (computed)',
      'vote -> every viewer p50 ms': ms(250 + m.pollLatency),
      'p99 ms': ms(495 + m.pollLatency),
      'missed deliveries': 0,
      'invocations in quiet period': m.viewerCount * 2 * m.quietS,
      'table reads in quiet period': m.viewerCount * 2 * m.quietS,
    },
    {
      variant: 'bare limit: one frame to every connection via @connections (no Lambda, no table)',
      'vote -> every viewer p50 ms': '',
      'p99 ms': ms(m.bareMs),
      'missed deliveries': 0,
      'invocations in quiet period': 0,
      'table reads in quiet period': 0,
    },
  ]);
  console.log(
    `polling baseline: ${m.viewerCount} viewers x 2 polls/s, each one getResults invocation and one BatchGetItem; latency = half/all of the 500 ms interval + GET /results (median ${Math.round(m.pollLatency)} ms here)`,
  );
}
