import { GetSecretValueCommand, ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { twilioSignature } from '../src/domain/votes/twilio-signature.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './services/types.ts';

/** Signs SMS webhooks as Twilio would for the local cloud: its auth token, its webhook URL. */
export interface TwilioSigner {
  /** The URL Twilio calls (and signs): `<http endpoint>/votes/sms`. */
  url: string;
  sign(params: ReadonlyArray<readonly [string, string]>): string;
  /** A form body and the headers that make it a signed webhook. */
  request(params: Record<string, string>): { body: string; headers: Record<string, string> };
}

/**
 * For tools and tests that play Twilio against a running local cloud: reads the local auth token from
 * the local Secrets Manager (the secret named `*-twilio-auth-token`, `twilioAuthToken` in secrets.json).
 */
export async function localTwilioSigner(endpoints: { http: string; secretsmanager: string }): Promise<TwilioSigner> {
  const client = new SecretsManagerClient({
    region: LOCAL_REGION,
    endpoint: endpoints.secretsmanager,
    credentials: LOCAL_CREDENTIALS,
  });
  const { SecretList = [] } = await client.send(new ListSecretsCommand({}));
  const secret = SecretList.find((entry) => entry.Name?.endsWith('-twilio-auth-token'));
  if (!secret?.ARN) throw new Error('the local cloud has no Twilio auth token secret');
  const { SecretString: token } = await client.send(new GetSecretValueCommand({ SecretId: secret.ARN }));
  client.destroy();
  const url = `${endpoints.http}/votes/sms`;
  const sign = (params: ReadonlyArray<readonly [string, string]>) => twilioSignature(token!, url, params);
  return {
    url,
    sign,
    request: (params) => ({
      body: new URLSearchParams(params).toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': sign(Object.entries(params)),
      },
    }),
  };
}
