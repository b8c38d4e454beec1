import { gunzipSync, gzipSync } from 'node:zlib';
import * as z from 'zod';
import type { Result } from '../result.ts';

/**
 * CloudWatch Logs subscription data, as a subscription filter puts it on a Kinesis stream: each
 * record's data is the gzip of one JSON message. DATA_MESSAGE carries log events of one log group and
 * stream; CONTROL_MESSAGE is CloudWatch checking that the destination is reachable.
 */

// ±8.64e15 ms is the range a JavaScript Date (and so an ISO timestamp) can hold.
const logEvent = z.object({
  id: z.string(),
  timestamp: z.number().int().min(-8.64e15).max(8.64e15),
  message: z.string(),
});

const dataMessage = z.object({
  messageType: z.literal('DATA_MESSAGE'),
  owner: z.string(),
  logGroup: z.string(),
  logStream: z.string(),
  subscriptionFilters: z.array(z.string()),
  logEvents: z.array(logEvent),
});

export type LogEvent = z.infer<typeof logEvent>;
export type DataMessage = z.infer<typeof dataMessage>;
export type SubscriptionMessage = DataMessage | { messageType: 'CONTROL_MESSAGE' };

/** A decompressed message larger than this is refused rather than inflated (a gzip bomb). */
export const MAX_DECOMPRESSED_BYTES = 32 * 1024 * 1024;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes one record's data (base64 of gzip of JSON); says why when it is not a subscription message. */
export function decodeSubscriptionData(base64: string): Result<SubscriptionMessage> {
  if (!BASE64.test(base64)) return { ok: false, reason: 'data is not base64' };
  let text: string;
  try {
    text = gunzipSync(Buffer.from(base64, 'base64'), { maxOutputLength: MAX_DECOMPRESSED_BYTES }).toString('utf8');
  } catch (error) {
    return { ok: false, reason: `data is not gzip: ${(error as Error).message}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'data is not JSON' };
  }
  const messageType = (json as { messageType?: unknown } | null)?.messageType;
  if (messageType === 'CONTROL_MESSAGE') return { ok: true, value: { messageType } };
  if (messageType !== 'DATA_MESSAGE')
    return { ok: false, reason: `unknown messageType ${JSON.stringify(messageType) ?? 'undefined'}` };
  const parsed = dataMessage.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return {
      ok: false,
      reason: `not a CloudWatch Logs data message: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    };
  }
  return { ok: true, value: parsed.data };
}

/** The record data CloudWatch Logs would put on the stream for a message (the inverse of decodeSubscriptionData). */
export function encodeSubscriptionData(message: DataMessage | Record<string, unknown>): Buffer {
  return gzipSync(JSON.stringify(message));
}
