import type { Result } from '../result.ts';

/**
 * The text of a source file: strict UTF-8 (a byte order mark is dropped), within the size limit
 * (the function's MAX_SOURCE_BYTES).
 * Anything else is refused with a reason a person can act on.
 */
export function readSource(bytes: Uint8Array, { maxBytes }: { maxBytes: number }): Result<string> {
  if (bytes.byteLength > maxBytes) {
    return {
      ok: false,
      reason: `the file is ${bytes.byteLength} bytes; files over ${maxBytes} bytes are not converted`,
    };
  }
  try {
    return { ok: true, value: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return {
      ok: false,
      reason: `the file is not valid UTF-8 text (first invalid byte at offset ${firstInvalidByte(bytes)}); save it as UTF-8`,
    };
  }
}

const CHUNK = 64 * 1024;

/**
 * Where the first invalid sequence starts: decoded by chunks, then byte by byte in the failing chunk
 * (the error path only, so the valid case pays nothing for it).
 */
function firstInvalidByte(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  try {
    for (; start < bytes.byteLength; start += CHUNK)
      decoder.decode(bytes.subarray(start, start + CHUNK), { stream: true });
    decoder.decode();
    return bytes.byteLength;
  } catch {
    // The decoder keeps no state after an error: decode again from the start of this chunk's sequence.
  }
  const fresh = new TextDecoder('utf-8', { fatal: true });
  fresh.decode(bytes.subarray(0, start), { stream: true });
  for (let i = start; i < bytes.byteLength; i += 1) {
    try {
      fresh.decode(bytes.subarray(i, i + 1), { stream: true });
    } catch {
      return sequenceStart(bytes, i);
    }
  }
  return sequenceStart(bytes, bytes.byteLength); // a sequence cut short by the end of the file
}

/** The decoder fails at the byte that breaks a sequence: report the lead byte of that unfinished sequence. */
function sequenceStart(bytes: Uint8Array, failedAt: number): number {
  for (let k = failedAt - 1; k >= 0 && k >= failedAt - 3; k -= 1) {
    const byte = bytes[k]!;
    if (byte >= 0x80 && byte < 0xc0) continue; // a continuation byte: keep looking for its lead
    return byte >= 0xc2 && sequenceLength(byte) > failedAt - k ? k : failedAt;
  }
  return failedAt;
}

function sequenceLength(lead: number): number {
  return lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
}
