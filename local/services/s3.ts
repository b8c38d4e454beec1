import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../net.ts';
import type { RunningService } from './types.ts';

const require = createRequire(import.meta.url);
interface S3rverInstance {
  run(): Promise<unknown>;
  close(): Promise<void>;
  on(event: 'event', listener: (event: S3rverEvent) => void): void;
}
const S3rver = require('s3rver') as new (options: Record<string, unknown>) => S3rverInstance;

interface S3rverAccount {
  accessKeys: Map<string, string>;
}
const AWSAccount = require('s3rver/lib/models/account') as {
  registry: Map<string, S3rverAccount>;
  DUMMY_ACCOUNT: S3rverAccount;
};

/** A Map that answers `get` for a key it does not hold with `fallback(key)` (and stores nothing). */
class AnyKeyMap<V> extends Map<string, V> {
  readonly #fallback: (key: string) => V;
  constructor(entries: Iterable<[string, V]>, fallback: (key: string) => V) {
    super(entries);
    this.#fallback = fallback;
  }
  override get(key: string): V | undefined {
    return super.has(key) ? super.get(key) : this.#fallback(key);
  }
}

/**
 * s3rver knows one access key (`S3RVER`, lib/models/account.js) and answers InvalidAccessKeyId to any
 * other. Any key is its dummy account here, as LocalStack takes any credentials: its registry of keys
 * (which its authentication middleware reads on every request) answers the dummy account for any key
 * id, and that account's secret for an unknown key is a placeholder, so a V2 signature is merely a
 * mismatch, which `allowMismatchedSignatures` accepts (s3rver checks no V4 signature at all). Expiry
 * of presigned URLs and the clock skew of signed requests are still checked, before the key is looked up.
 */
function acceptAnyAccessKey(): void {
  if (AWSAccount.registry instanceof AnyKeyMap) return;
  const account = AWSAccount.DUMMY_ACCOUNT;
  account.accessKeys = new AnyKeyMap(account.accessKeys, () => 'any-key-is-accepted-locally');
  AWSAccount.registry = new AnyKeyMap(AWSAccount.registry, () => account);
}

/** What s3rver emits per object operation: an S3 event whose key is NOT URL-encoded. */
export interface S3rverEvent {
  Records: Array<{
    eventName: string;
    eventTime: string;
    s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string; sequencer?: string } };
  }>;
}

export interface S3Service extends RunningService {
  onObjectEvent(listener: (event: S3rverEvent) => void): void;
}

/** s3rver on a throw-away folder; path-style URLs; any credentials. */
export async function startS3(options: { port?: number } = {}): Promise<S3Service> {
  acceptAnyAccessKey();
  const port = options.port ?? (await freePort());
  const directory = await mkdtemp(join(tmpdir(), 'refarch-s3-'));
  const server = new S3rver({
    port,
    address: '127.0.0.1',
    directory,
    silent: true,
    resetOnClose: true,
    allowMismatchedSignatures: true,
  });
  await server.run();
  return {
    name: 's3',
    endpoint: `http://127.0.0.1:${port}`,
    onObjectEvent: (listener) => server.on('event', listener),
    stop: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
