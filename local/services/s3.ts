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

/** What s3rver emits per object operation: an S3 event whose key is NOT URL-encoded. */
export interface S3rverEvent {
  Records: Array<{ eventName: string; eventTime: string; s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string; sequencer?: string } } }>;
}

export interface S3Service extends RunningService {
  onObjectEvent(listener: (event: S3rverEvent) => void): void;
}

/** s3rver on a throw-away folder; path-style URLs. */
export async function startS3(options: { port?: number } = {}): Promise<S3Service> {
  const port = options.port ?? await freePort();
  const directory = await mkdtemp(join(tmpdir(), 'refarch-s3-'));
  const server = new S3rver({ port, address: '127.0.0.1', directory, silent: true, resetOnClose: true, allowMismatchedSignatures: true });
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
