import * as z from 'zod';
import type { Result } from '../result.ts';

/** One ad program's core data (DESIGN.md §3, Core data): what a tracking hit is enriched with. */
export interface CoreData {
  programId: string;
  programName: string;
  checksum: string;
  customerId: number;
  customerName: string;
  valid: boolean;
  version: number;
}

const INT32_MAX = 2 ** 31 - 1;

// Bounds match the TrackingEvent limits, so an event enriched from valid core data is always storable.
const coreDataSchema = z.object({
  programId: z.string().min(1).max(128),
  programName: z.string().max(512),
  checksum: z.string().max(256),
  customerId: z.int().min(0).max(INT32_MAX),
  customerName: z.string().max(512),
  valid: z.boolean(),
  version: z.int().min(0),
});

/** Core data from a parsed JSON value; unknown fields are dropped, anything else wrong is a reason. */
export function parseCoreData(json: unknown): Result<CoreData> {
  const result = coreDataSchema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  const reason = result.error.issues
    .map((issue) => `${issue.path.map(String).join('.') || 'value'}: ${issue.message}`)
    .join('; ');
  return { ok: false, reason: `invalid core data: ${reason}` };
}

/** Core data from the text of a stream record: invalid JSON and schema violations are reasons. */
export function parseCoreDataText(text: string): Result<CoreData> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'invalid JSON' };
  }
  return parseCoreData(json);
}

/**
 * The version rule: an update applies only when strictly newer than what is stored. An equal version
 * is a redelivery of the same update, so ignoring it keeps consumers idempotent (and quiet: no second
 * PUBLISH). The Redis script applies the same rule atomically.
 */
export function isNewer(candidate: number, stored: number | undefined): boolean {
  return stored === undefined || candidate > stored;
}

/** The Redis hash of a program: one field per core-data field, as strings. */
export function toHash(coreData: CoreData): Record<string, string> {
  return {
    programId: coreData.programId,
    programName: coreData.programName,
    checksum: coreData.checksum,
    customerId: String(coreData.customerId),
    customerName: coreData.customerName,
    valid: String(coreData.valid),
    version: String(coreData.version),
  };
}

/** A program from its Redis hash; an empty hash (no such key) or a malformed one is no program. */
export function fromHash(hash: Readonly<Record<string, string>>): CoreData | undefined {
  if (Object.keys(hash).length === 0) return undefined;
  const parsed = parseCoreData({
    ...hash,
    customerId: numberOf(hash.customerId),
    valid: hash.valid === 'true' ? true : hash.valid === 'false' ? false : hash.valid,
    version: numberOf(hash.version),
  });
  return parsed.ok ? parsed.value : undefined;
}

function numberOf(text: string | undefined): number | undefined {
  return text === undefined || text.trim() === '' ? undefined : Number(text);
}
