import { setTimeout as sleep } from 'node:timers/promises';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { S3Client } from '@aws-sdk/client-s3';
import type { LambdaRuntime } from '../runtime/index.ts';
import type { BufferedRecord } from './outcome.ts';

/** An AWS::KinesisFirehose::DeliveryStream reading a Kinesis stream into S3 (local/cloud/model.ts). */
export interface DeliveryStreamSpec {
  id: string;
  name: string;
  arn: string;
  sourceStreamArn: string;
  bucket: string;
  prefix: string;
  errorOutputPrefix?: string;
  intervalSeconds: number;
  sizeMb: number;
  compressed: boolean;
  processor?: { functionArn: string; retries: number; bufferMb: number };
}

export interface DeliveryStreamDeps {
  kinesis: KinesisClient;
  s3: S3Client;
  runtime: LambdaRuntime;
  region: string;
  pollIntervalMs?: number;
}

export const MIB = 1024 * 1024;

/** What a running delivery stream's readers and its delivery loop share: the buffer between them, counters, stopping. */
export interface DeliveryContext {
  spec: DeliveryStreamSpec;
  deps: DeliveryStreamDeps;
  signal: AbortSignal;
  pollMs: number;
  /** Records read and not yet delivered, oldest first. */
  buffer: BufferedRecord[];
  counters: { records: number; objects: number; failedRecords: number; dropped: number; lastError?: string };
  pause(ms: number): Promise<void>;
  fail(error: unknown): void;
}

export function deliveryContext(
  spec: DeliveryStreamSpec,
  deps: DeliveryStreamDeps,
  signal: AbortSignal,
): DeliveryContext {
  const counters: DeliveryContext['counters'] = { records: 0, objects: 0, failedRecords: 0, dropped: 0 };
  return {
    spec,
    deps,
    signal,
    counters,
    buffer: [],
    pollMs: deps.pollIntervalMs ?? 200,
    pause: (ms) => sleep(ms, undefined, { signal }).catch(() => undefined),
    fail: (error) => {
      counters.lastError = (error as Error).message ?? String(error);
    },
  };
}

export const bufferedBytes = (context: DeliveryContext) => context.buffer.reduce((sum, r) => sum + r.data.length, 0);
