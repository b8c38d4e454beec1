import type { DynamoDBRecord } from 'aws-lambda';
import { mapConcurrently } from '../../adapters/concurrency.ts';
import { step } from '../../adapters/tracing.ts';
import { listConnections, removeConnection } from '../../adapters/viewer-connections.ts';
import { readTotals } from '../../adapters/votes-table.ts';
import { postToConnection } from '../../adapters/websocket-connections.ts';
import { candidatesIn } from '../../domain/votes/candidates.ts';
import { ok, type Result } from '../../domain/result.ts';
import { totalsFrame, totalsFromImages } from '../../domain/votes/live-results.ts';
import { resultsOf } from '../../domain/votes/results.ts';
import { envConfig, string, url, variable } from '../shared/config.ts';
import { logger } from '../shared/logger.ts';
import { unmarshallImage } from '../shared/stream.ts';
import { streamConsumer } from '../shared/stream-consumer.ts';

/** Posts in flight at once: enough to reach 1,000 viewers in a few round trips, few enough for one instance. */
const POST_CONCURRENCY = 50;

const config = envConfig({
  aggregates: string('AGGREGATES_TABLE'),
  connections: string('CONNECTIONS_TABLE'),
  candidates: variable('CANDIDATES', 'a comma-separated list of candidates', candidatesIn),
  endpoint: url('WEBSOCKET_ENDPOINT'),
});

/**
 * VoteAppAggregates stream -> every open results page. One push per batch, whatever its size: the totals
 * once (from the batch's images when they hold every candidate, else one consistent read), posted to every
 * connection; connections that are gone (410) are deleted. A failed read or scan fails the whole batch.
 */
export const handler = streamConsumer({
  decode: newImage,
  process: async (images) => ({ failed: [], log: await pushTotals(images) }),
  logMessage: 'totals pushed',
});

/** A change's new image (a removed total has none: it counts as zero in the read). */
function newImage(record: DynamoDBRecord): Result<Record<string, unknown> | undefined> {
  return ok(unmarshallImage(record.dynamodb?.NewImage));
}

async function pushTotals(changed: Array<Record<string, unknown> | undefined>): Promise<Record<string, number>> {
  const { aggregates, connections, candidates, endpoint } = config();
  const images = changed.filter((image) => image !== undefined);
  const totals =
    totalsFromImages(candidates, images) ??
    (await step('read', () => readTotals(aggregates, candidates, { consistentRead: true })));
  const frame = JSON.stringify(totalsFrame(resultsOf(candidates, totals)));
  const ids = await step('scan', () => listConnections(connections));
  const outcomes = await step('post', () =>
    mapConcurrently(ids, POST_CONCURRENCY, (id) => pushTo(endpoint, connections, id, frame)),
  );
  const count = (outcome: string) => outcomes.filter((o) => o === outcome).length;
  return { viewers: ids.length, gone: count('gone'), unreached: count('failed') };
}

/** A viewer that cannot be reached now is skipped (the next change reaches it); a gone one is forgotten. */
async function pushTo(
  endpoint: string,
  table: string,
  connectionId: string,
  frame: string,
): Promise<'sent' | 'gone' | 'failed'> {
  try {
    const outcome = await postToConnection(endpoint, connectionId, frame);
    if (outcome === 'gone') await removeConnection(table, connectionId);
    return outcome;
  } catch (error) {
    logger.warn('push to a viewer failed', { connectionId, error: (error as Error).name });
    return 'failed';
  }
}
