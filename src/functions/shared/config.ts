import { err, ok, type Result } from '../../domain/result.ts';

/**
 * A function's configuration: its environment variables (set in serverless.yml, where their defaults
 * live too), declared once as a schema of readers, read on first use and validated as a whole, so a
 * deployment mistake names every missing or malformed variable in one error:
 *
 *   const config = envConfig({ table: string('EVENT_DATA_TABLE'), windowSeconds: positiveInt('ALERT_WINDOW_SECONDS') });
 *   config().table
 *
 * Hand-rolled rather than zod: stream consumers load no zod today, and every module counts at a cold start.
 */

/** One environment variable and how its text becomes a value. */
export interface Variable<T> {
  name: string;
  read(raw: string | undefined): Result<T>;
}

export type Schema = Record<string, Variable<unknown>>;
export type ConfigOf<S extends Schema> = { [K in keyof S]: S[K] extends Variable<infer T> ? T : never };
type Environment = Readonly<Record<string, string | undefined>>;

/** A variable whose text `parse` turns into a value, or undefined when it is not `expected`. */
export function variable<T>(name: string, expected: string, parse: (raw: string) => T | undefined): Variable<T> {
  return {
    name,
    read: (raw) => {
      if (raw === undefined || raw === '') return err('is missing');
      const value = parse(raw);
      return value === undefined ? err(`is not ${expected} (${quoted(raw)})`) : ok(value);
    },
  };
}

/** A variable that may be unset or empty (then undefined). */
export function optional<T>(inner: Variable<T>): Variable<T | undefined> {
  return { name: inner.name, read: (raw) => (raw === undefined || raw === '' ? ok(undefined) : inner.read(raw)) };
}

export const string = (name: string) => variable(name, 'a text', (raw) => raw);

export const number = (name: string) =>
  variable(name, 'a number', (raw) => {
    const value = Number(raw);
    return raw.trim() !== '' && Number.isFinite(value) ? value : undefined;
  });

export const positiveInt = (name: string) =>
  variable(name, 'a positive integer', (raw) => {
    const value = Number(raw);
    return /^\s*\d+\s*$/.test(raw) && Number.isSafeInteger(value) && value > 0 ? value : undefined;
  });

export const url = (name: string) =>
  variable(name, 'an http(s) URL', (raw) => (/^https?:\/\/[^\s/]+/.test(raw) && URL.canParse(raw) ? raw : undefined));

export const arn = (name: string) =>
  variable(name, 'an ARN', (raw) => (/^arn:[\w-]+:[\w-]+:[\w-]*:\d*:\S+$/.test(raw) ? raw : undefined));

/** A comma-separated list of non-blank names. */
export const list = (name: string) =>
  variable(name, 'a comma-separated list', (raw) => {
    const items = raw
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    return items.length > 0 ? items : undefined;
  });

/**
 * Reads every variable of the schema from `env`; throws one Error naming each bad one, e.g.
 * "environment: TRACKING_EVENTS_TABLE is missing; MAX_SOURCE_BYTES is not a positive integer ('abc')".
 */
export function readConfig<S extends Schema>(schema: S, env: Environment): ConfigOf<S> {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, { name, read }] of Object.entries(schema)) {
    const result = read(env[name]);
    if (result.ok) values[key] = result.value;
    else problems.push(`${name} ${result.reason}`);
  }
  if (problems.length > 0) throw new Error(`environment: ${problems.join('; ')}`);
  return values as ConfigOf<S>;
}

/** The function's configuration, read from process.env and validated on first use, then kept. */
export function envConfig<S extends Schema>(schema: S): () => ConfigOf<S> {
  return lazy(() => readConfig(schema, process.env));
}

/** A value computed on first use and then kept for the life of the function instance. */
export function lazy<T>(create: () => T): () => T {
  let value: { current: T } | undefined;
  return () => (value ??= { current: create() }).current;
}

/**
 * A required environment variable. Only the tracker's shared code (track-hit) still reads one this way;
 * a function declares its variables with envConfig.
 */
export function requiredEnv(name: string): string {
  return readConfig({ value: string(name) }, process.env).value;
}

// Values are deployment settings, not secrets (those are read from Secrets Manager), but keep errors short.
const quoted = (raw: string) => `'${raw.length > 40 ? `${raw.slice(0, 37)}...` : raw}'`;
