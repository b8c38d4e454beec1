import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { keepAliveHandler } from './http-handler.ts';
import { traced } from './tracing.ts';

/** How long a secret's value is reused before it is read again: a rotated secret is seen within it. */
export const SECRET_MAX_AGE_SECONDS = 300;

let provider: SecretsProvider | undefined;

/**
 * A secret's string value, read at run time from Secrets Manager through Powertools Parameters and
 * cached for SECRET_MAX_AGE_SECONDS. Secrets are never placed in environment variables: a function is
 * given the secret's ARN and may read that secret only.
 */
export async function secretString(secretId: string): Promise<string> {
  provider ??= new SecretsProvider({
    awsSdkV3Client: traced(new SecretsManagerClient({ requestHandler: keepAliveHandler() })),
  });
  const value = await provider.get(secretId, { maxAge: SECRET_MAX_AGE_SECONDS });
  if (typeof value !== 'string' || value === '') throw new Error(`secret ${secretId} has no string value`);
  return value;
}
