import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { startLocalCloud } from '../local/cloud/index.ts';
import { fetchTotals, planVotes, sendVotes } from '../scripts/lib/vote-load.ts';
import { startDynamoDbCounter } from './dynamodb-counter.ts';

/**
 * Votes through castVote -> VoteApp stream -> aggregator -> VoteAppAggregates on the local cloud,
 * for our aggregateVotes and, in the same run, a baseline aggregator that writes once per stream record.
 * Reports votes/s end to end (first vote sent -> exact totals visible) and aggregator write requests
 * per 1,000 votes, counted by a proxy in front of DynamoDB Local.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: {
    voters: { type: 'string', default: '5000' }, changes: { type: 'string', default: '1000' },
    'fault-rate': { type: 'string', default: '0' }, concurrency: { type: 'string', default: '16' },
  } });
  const plan = planVotes({ voters: Number(values.voters), changes: Number(values.changes), candidates: ['RED', 'GREEN', 'BLUE'], prefix: 'bench' });
  const rows = [];
  for (const variant of [
    { name: 'aggregateVotes (transactions, per-voter versions)', override: undefined },
    { name: 'baseline: one UpdateItem per stream record', override: join(import.meta.dirname, 'baseline', 'aggregate-votes-per-record.ts') },
  ]) {
    rows.push({ variant: variant.name, ...await measure(plan, variant.override, Number(values['fault-rate']), Number(values.concurrency)) });
  }
  console.log(`\nvotes: ${plan.votes.length} requests (${values.voters} voters, ${values.changes} changes), fault rate ${values['fault-rate']}\n`);
  console.table(rows);
}

async function measure(plan: ReturnType<typeof planVotes>, override: string | undefined, faultRate: number, concurrency: number) {
  const serviceDir = resolve(import.meta.dirname, '..');
  const counter = await startDynamoDbCounter();
  const cloud = await startLocalCloud({
    serviceDir, stage: 'bench', stateDir: join(serviceDir, '.local', 'bench'), onLog: () => {},
    handlerOverrides: override ? { aggregateVotes: override } : {},
    functionEnvironment: (endpoints) => {
      counter.setTarget(endpoints.dynamodb);
      return { AWS_ENDPOINT_URL_DYNAMODB: counter.endpoint, ...(faultRate ? { FAULT_DYNAMODB_WRITE_RATE: String(faultRate) } : {}) };
    },
  });
  try {
    const started = performance.now();
    const { retries } = await sendVotes(cloud.endpoints.http, plan.votes, concurrency);
    const sentMs = performance.now() - started;
    let totals = await fetchTotals(cloud.endpoints.http);
    const deadline = Date.now() + 300_000;
    while (!sameTotals(totals, plan.expected) && Date.now() < deadline) {
      await sleep(100);
      totals = await fetchTotals(cloud.endpoints.http);
    }
    const settledMs = performance.now() - started;
    const aggregatesTable = `${cloud.model.stackName}-VoteAppAggregates`;
    const aggregatorWrites = [...counter.counts].filter(([key]) => /^(TransactWriteItems|UpdateItem|PutItem|BatchWriteItem) /.test(key) && key.includes(aggregatesTable))
      .reduce((sum, [, n]) => sum + n, 0);
    return {
      'castVote req/s': Math.round(plan.votes.length / (sentMs / 1000)),
      'votes/s end to end': Math.round(plan.votes.length / (settledMs / 1000)),
      'aggregator write requests / 1,000 votes': Math.round((aggregatorWrites / plan.votes.length) * 1000 * 10) / 10,
      'client retries': retries,
      'totals exact': sameTotals(totals, plan.expected),
    };
  } finally {
    await cloud.stop();
    await counter.stop();
  }
}

const sameTotals = (a: Record<string, number>, b: Record<string, number>) => Object.keys(b).every((k) => a[k] === b[k]);
