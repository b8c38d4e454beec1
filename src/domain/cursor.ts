import type { z } from 'zod';

/**
 * The value an opaque pagination cursor carries (base64url JSON that this API issued), checked against
 * its schema; undefined for anything else (malformed, tampered, over `maxChars`).
 */
export function decodeJsonCursor<T>(cursor: unknown, schema: z.ZodType<T>, maxChars: number): T | undefined {
  if (typeof cursor !== 'string' || cursor.length > maxChars || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
