import { freePort } from '../net.ts';
import { startKinesisEngine } from './kinesis-engine/server.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION, type RunningService } from './types.ts';

/**
 * The local Kinesis: an in-memory engine in this process (kinesis-engine/), written for the local cloud
 * because kinesis-mock spent milliseconds of CPU per request and saturated at a few dozen puts a second.
 * Any credentials and region see the same streams (of the local account and region), as with LocalStack.
 * An outage (for chaos tests) is the engine cutting every connection and refusing new ones while it keeps
 * every record: real Kinesis never loses acknowledged records either; clients see it unreachable, then back.
 * `LOCAL_KINESIS_SHARD_LIMITS=1` enforces Kinesis's per-shard write limits (1,000 records/s, 1 MiB/s).
 */
export async function startKinesis(options: { port?: number; shardLimits?: boolean } = {}): Promise<RunningService> {
  const port = options.port ?? (await freePort());
  const engine = await startKinesisEngine(port, {
    region: LOCAL_REGION,
    account: LOCAL_ACCOUNT,
    shardLimits: options.shardLimits ?? process.env.LOCAL_KINESIS_SHARD_LIMITS === '1',
  });
  return {
    name: 'kinesis',
    endpoint: `http://127.0.0.1:${port}`,
    control: {
      stop: async () => engine.refuse(),
      start: async () => engine.accept(),
      running: () => engine.accepting(),
    },
    stop: () => engine.close(),
  };
}
