import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '@refarch/local-cloud';
import { fetchTotals, planVotes, sendVotes } from '../../scripts/lib/vote-load.ts';
import { eventually } from '../support/cloud.ts';

// Its own local cloud, with the documented fault switch on: 20% of the functions' DynamoDB writes
// fail, half of them after the write took effect (the response is lost).
describe('voting under injected DynamoDB write faults', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    const serviceDir = resolve(import.meta.dirname, '../..');
    cloud = await startLocalCloud({
      serviceDir,
      stage: 'chaos',
      stateDir: join(serviceDir, '.local', 'chaos'),
      functionEnvironment: { FAULT_DYNAMODB_WRITE_RATE: '0.2' },
      onLog: () => {},
    });
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('ends with exact totals after 1,000 votes and 200 changes', async () => {
    const plan = planVotes({ voters: 1000, changes: 200, candidates: ['RED', 'GREEN', 'BLUE'], prefix: 'chaos' });
    const { retries } = await sendVotes(cloud.endpoints, plan.votes);
    expect(retries).toBeGreaterThan(0); // the faults really happened
    await eventually(async () => expect(await fetchTotals(cloud.endpoints.http)).toEqual(plan.expected), {
      timeoutMs: 60_000,
      intervalMs: 500,
    });
  });
});
