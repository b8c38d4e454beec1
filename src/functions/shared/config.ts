import { secretString } from '../../adapters/secrets.ts';

/** A required environment variable (set in serverless.yml); missing is a deployment error. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`environment variable ${name} is not set`);
  return value;
}

/** A value computed on first use and then kept for the life of the function instance. */
export function lazy<T>(create: () => T): () => T {
  let value: { current: T } | undefined;
  return () => (value ??= { current: create() }).current;
}

/**
 * A secret named by an environment variable (its ARN, set in serverless.yml), read when called:
 * a missing variable is a deployment error at first use.
 */
export function secretFromEnv(name: string): () => Promise<string> {
  return () => secretString(requiredEnv(name));
}
