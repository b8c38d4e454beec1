// `npm run tracking:load -- --events N --rate R [--url U] [--programs file]`
// Sends GET /event/{programId} hits at a steady rate (open loop: a slow server does not slow the
// sender down, so latencies are honest) and prints the status counts and latency percentiles.
// Default target: the tracking server of the running local cloud (.local/endpoints.json); --url
// takes any base URL, e.g. the HTTP API's. Programs: a JSON array of ids or of core-data objects.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { percentile } from './lib/load/runner.ts';

const root = resolve(import.meta.dirname, '..');

interface Outcome {
  status: string;
  latencyMs: number;
}

export function programIdsOf(json: unknown): string[] {
  if (!Array.isArray(json)) throw new Error('the programs file must hold a JSON array');
  return json.map((entry) => {
    const id = typeof entry === 'string' ? entry : (entry as { programId?: unknown })?.programId;
    if (typeof id !== 'string' || id === '') throw new Error(`not a program id: ${JSON.stringify(entry)}`);
    return id;
  });
}

function defaultUrl(): string {
  const file = resolve(root, '.local', 'endpoints.json');
  try {
    const endpoints = JSON.parse(readFileSync(file, 'utf8')) as { tracking?: string };
    if (endpoints.tracking) return endpoints.tracking;
  } catch {
    // reported below
  }
  throw new Error(`no tracking endpoint in ${file}: start the local cloud (npm start) or pass --url`);
}

async function hit(url: string): Promise<Outcome> {
  const started = performance.now();
  try {
    const response = await fetch(url, { headers: { 'user-agent': 'tracking-load/1.0' } });
    await response.arrayBuffer();
    return { status: String(response.status), latencyMs: performance.now() - started };
  } catch (error) {
    return {
      status: `error: ${(error as Error).cause ? String((error as Error & { cause: Error }).cause.message) : (error as Error).message}`,
      latencyMs: performance.now() - started,
    };
  }
}

/** Starts hit i at start + i/rate, whatever the earlier hits are doing. */
async function sendAtRate(
  urls: readonly string[],
  events: number,
  rate: number,
): Promise<{ outcomes: Outcome[]; seconds: number }> {
  const pending: Array<Promise<Outcome>> = [];
  const start = performance.now();
  for (let i = 0; i < events; i += 1) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    pending.push(hit(urls[i % urls.length]!));
  }
  const outcomes = await Promise.all(pending);
  return { outcomes, seconds: (performance.now() - start) / 1000 };
}

function report(outcomes: readonly Outcome[], seconds: number, rate: number): void {
  const statuses = new Map<string, number>();
  for (const { status } of outcomes) statuses.set(status, (statuses.get(status) ?? 0) + 1);
  const latencies = outcomes.map((o) => o.latencyMs).sort((a, b) => a - b);
  console.log(
    `\n${outcomes.length} hits in ${seconds.toFixed(1)} s (target ${rate}/s, achieved ${(outcomes.length / seconds).toFixed(1)}/s)\n`,
  );
  console.table(Object.fromEntries([...statuses].sort().map(([status, count]) => [status, { hits: count }])));
  console.table({
    'latency ms': {
      p50: round(percentile(latencies, 50)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies.at(-1) ?? Number.NaN),
    },
  });
}

/** For benchmarks that run this script as their load generator (a second process). */
function summary(outcomes: readonly Outcome[], seconds: number) {
  const latencies = outcomes.map((o) => o.latencyMs).sort((a, b) => a - b);
  const statuses: Record<string, number> = {};
  for (const { status } of outcomes) statuses[status] = (statuses[status] ?? 0) + 1;
  return {
    hits: outcomes.length,
    perSecond: round(outcomes.length / seconds),
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    statuses,
  };
}

const round = (value: number) => Math.round(value * 10) / 10;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '1000' },
      rate: { type: 'string', default: '100' },
      url: { type: 'string' },
      programs: { type: 'string', default: resolve(root, 'data', 'programs.sample.json') },
      json: { type: 'boolean', default: false },
    },
  });
  const events = Number(values.events);
  const rate = Number(values.rate);
  if (!Number.isInteger(events) || events < 1 || !(rate > 0))
    throw new Error('--events must be a positive integer and --rate a positive number');
  const base = (values.url ?? defaultUrl()).replace(/\/+$/, '');
  const programs = programIdsOf(JSON.parse(readFileSync(values.programs, 'utf8')));
  const urls = programs.map((id) => `${base}/event/${encodeURIComponent(id)}`);
  if (!values.json)
    console.log(`sending ${events} hits at ${rate}/s to ${base}/event/{programId} over ${programs.length} programs`);
  const { outcomes, seconds } = await sendAtRate(urls, events, rate);
  if (values.json) console.log(JSON.stringify(summary(outcomes, seconds)));
  else report(outcomes, seconds, rate);
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    console.error((error as Error).message);
    process.exit(1);
  });
}
