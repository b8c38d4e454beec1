/**
 * Firehose's S3 object keys (docs: "Custom Prefixes for Amazon S3 Objects"). Pure functions.
 * `!{timestamp:<Java DateTimeFormatter>}` takes the arrival time of the oldest record in the object, in
 * UTC; `!{firehose:error-output-type}` and `!{firehose:random-string}` are the other expressions. A prefix
 * without expressions gets `YYYY/MM/DD/HH/` appended, as Firehose does.
 */

export interface PrefixContext {
  timestampMs: number;
  /** Only in the error prefix: `processing-failed` for records the transformation failed. */
  errorOutputType?: string;
  randomString: string;
}

const EXPRESSION = /!\{([A-Za-z]+):([^}]*)\}/g;

export function expandPrefix(prefix: string, context: PrefixContext): string {
  if (!prefix.includes('!{')) return `${prefix}${formatTimestamp('yyyy/MM/dd/HH', context.timestampMs)}/`;
  return prefix.replace(EXPRESSION, (expression, namespace: string, key: string) => {
    if (namespace === 'timestamp') return formatTimestamp(key, context.timestampMs);
    if (namespace === 'firehose' && key === 'random-string') return context.randomString;
    if (namespace === 'firehose' && key === 'error-output-type' && context.errorOutputType)
      return context.errorOutputType;
    throw new Error(`prefix expression ${expression} is not supported here`);
  });
}

/** The error prefix; without one, Firehose writes failed records under `<prefix-base>processing-failed/YYYY/MM/DD/HH/`. */
export function expandErrorPrefix(
  errorPrefix: string | undefined,
  context: PrefixContext & { errorOutputType: string },
): string {
  return errorPrefix ? expandPrefix(errorPrefix, context) : expandPrefix(`${context.errorOutputType}/`, context);
}

/** `<prefix><stream>-<version>-YYYY-MM-DD-HH-MM-SS-<random>` (+ `.gz` when compressed). */
export function objectKey(
  prefix: string,
  streamName: string,
  timestampMs: number,
  randomString: string,
  compressed: boolean,
): string {
  return `${prefix}${streamName}-1-${formatTimestamp('yyyy-MM-dd-HH-mm-ss', timestampMs)}-${randomString}${compressed ? '.gz' : ''}`;
}

/** The subset of Java's DateTimeFormatter patterns Firehose prefixes use: yyyy MM dd HH mm ss, in UTC. */
export function formatTimestamp(pattern: string, timestampMs: number): string {
  const iso = new Date(timestampMs).toISOString();
  const fields: Record<string, string> = {
    yyyy: iso.slice(0, 4),
    MM: iso.slice(5, 7),
    dd: iso.slice(8, 10),
    HH: iso.slice(11, 13),
    mm: iso.slice(14, 16),
    ss: iso.slice(17, 19),
  };
  return pattern.replace(/yyyy|MM|dd|HH|mm|ss|[A-Za-z]/g, (token) => {
    const value = fields[token];
    if (value === undefined) throw new Error(`timestamp pattern ${pattern}: ${token} is not supported here`);
    return value;
  });
}
