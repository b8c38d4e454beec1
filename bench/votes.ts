import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { startLocalCloud, LOCAL_CREDENTIALS } from '@refarch/local-cloud';
import { stage, type Stage } from '../scripts/lib/progress.ts';
import { fetchTotals, planVotes, sendVotes } from '../scripts/lib/vote-load.ts';
import { startDynamoDbCounter } from './dynamodb-counter.ts';

/**
 * Votes through castVote -> VoteApp stream -> aggregator -> VoteAppAggregates on the local cloud,
 * for our aggregateVotes and, in the same run, a baseline aggregator that writes once per stream record.
 * Reports votes/s end to end (first vote sent -> exact totals visible) and aggregator write requests
 * per 1,000 votes, counted by a proxy in front of DynamoDB Local.
 */
export async function run(args: string[], progress: Stage = stage()): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      voters: { type: 'string', default: '5000' },
      changes: { type: 'string', default: '1000' },
      'fault-rate': { type: 'string', default: '0' },
      concurrency: { type: 'string', default: '16' },
    },
  });
  const plan = planVotes({
    voters: Number(values.voters),
    changes: Number(values.changes),
    candidates: ['RED', 'GREEN', 'BLUE'],
    prefix: 'bench',
  });
  const rows = [];
  let bareLimit = 0;
  for (const variant of [
    { name: 'aggregateVotes (transactions, per-voter versions)', override: undefined },
    {
      name: 'baseline: one UpdateItem per stream record',
      override: join(import.meta.dirname, 'baseline', 'aggregate-votes-per-record.ts'),
    },
  ]) {
    const { row, updateItemsPerSecond } = await measure(
      plan,
      variant.override,
      Number(values['fault-rate']),
      Number(values.concurrency),
      (text, total) => progress.set(`${variant.name}: ${text}`, total),
      progress,
    );
    rows.push({ variant: variant.name, ...row });
    bareLimit ||= updateItemsPerSecond;
  }
  console.log(
    `\nvotes: ${plan.votes.length} requests (${values.voters} voters, ${values.changes} changes), ${values.concurrency} concurrent clients, fault rate ${values['fault-rate']}\n`,
  );
  console.table(rows);
  console.log(
    `bare limit: ${bareLimit} UpdateItem/s straight into the VoteApp table with the same concurrency (no Lambda, no HTTP)`,
  );
}

/** The write rate DynamoDB Local itself allows for vote-like UpdateItems: what castVote cannot exceed. */
async function updateItemsPerSecond(
  endpoint: string,
  table: string,
  count: number,
  concurrency: number,
): Promise<number> {
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: LOCAL_CREDENTIALS });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        await client.send(
          new UpdateItemCommand({
            TableName: table,
            Key: { VoterId: { S: `bare-${i}` } },
            UpdateExpression: 'SET Candidate = :c ADD Version :one',
            ExpressionAttributeValues: { ':c': { S: 'RED' }, ':one': { N: '1' } },
          }),
        );
      }
    }),
  );
  return Math.round(count / ((performance.now() - started) / 1000));
}

async function measure(
  plan: ReturnType<typeof planVotes>,
  override: string | undefined,
  faultRate: number,
  concurrency: number,
  step: (text: string, total?: number) => void,
  progress: Stage,
) {
  const serviceDir = resolve(import.meta.dirname, '..');
  step('starting a local cloud');
  const counter = await startDynamoDbCounter();
  const cloud = await startLocalCloud({
    serviceDir,
    stage: 'bench',
    stateDir: join(serviceDir, '.local', 'bench'),
    onLog: () => {},
    handlerOverrides: override ? { aggregateVotes: override } : {},
    functionEnvironment: (endpoints) => {
      counter.setTarget(endpoints.dynamodb);
      return {
        AWS_ENDPOINT_URL_DYNAMODB: counter.endpoint,
        ...(faultRate ? { FAULT_DYNAMODB_WRITE_RATE: String(faultRate) } : {}),
      };
    },
  });
  try {
    const started = performance.now();
    step('sending votes', plan.votes.length);
    const { retries } = await sendVotes(cloud.endpoints, plan.votes, concurrency, (sent) => progress.done(sent));
    const sentMs = performance.now() - started;
    step(
      'waiting for exact totals (votes counted)',
      Object.values(plan.expected).reduce((sum, n) => sum + n, 0),
    );
    const { totals, settledMs } = await settle(cloud.endpoints.http, plan.expected, started, progress);
    const aggregatesTable = `${cloud.model.stackName}-VoteAppAggregates`;
    const aggregatorWrites = [...counter.counts]
      .filter(
        ([key]) =>
          /^(TransactWriteItems|UpdateItem|PutItem|BatchWriteItem) /.test(key) && key.includes(aggregatesTable),
      )
      .reduce((sum, [, n]) => sum + n, 0);
    const bare = override
      ? 0
      : await updateItemsPerSecond(cloud.endpoints.dynamodb, `${cloud.model.stackName}-VoteApp`, 1000, concurrency);
    return {
      updateItemsPerSecond: bare,
      row: {
        'castVote req/s': Math.round(plan.votes.length / (sentMs / 1000)),
        'votes/s end to end': Math.round(plan.votes.length / (settledMs / 1000)),
        'aggregator write requests / 1,000 votes': Math.round((aggregatorWrites / plan.votes.length) * 1000 * 10) / 10,
        'client retries': retries,
        'totals exact': sameTotals(totals, plan.expected),
      },
    };
  } finally {
    await cloud.stop();
    await counter.stop();
  }
}

/** Waits until the totals are exact, or have not moved for 15 s (a miscounting aggregator never gets there). */
async function settle(apiUrl: string, expected: Record<string, number>, started: number, progress: Stage) {
  let totals = await fetchTotals(apiUrl);
  let settledMs = performance.now() - started;
  let lastChange = Date.now();
  while (!sameTotals(totals, expected) && Date.now() - lastChange < 15_000) {
    await sleep(100);
    const next = await fetchTotals(apiUrl);
    progress.done(Object.values(next).reduce((sum, n) => sum + n, 0));
    if (!sameTotals(next, totals)) {
      lastChange = Date.now();
      settledMs = performance.now() - started;
    }
    totals = next;
  }
  return { totals, settledMs };
}

const sameTotals = (a: Record<string, number>, b: Record<string, number>) => Object.keys(b).every((k) => a[k] === b[k]);
