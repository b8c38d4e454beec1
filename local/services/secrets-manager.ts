import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { refused } from './loopback-guard.ts';
import { readBody, sendJson } from '../http-util.ts';
import { freePort } from '../net.ts';
import type { LocalSecret, LocalSecretStore } from '../cloud/secrets.ts';
import type { RunningService } from './types.ts';

/**
 * A small Secrets Manager (JSON 1.1 protocol, what SDK v3 and the AWS CLI speak) over the stack's
 * secrets: GetSecretValue (what Powertools Parameters calls), DescribeSecret, ListSecrets and
 * PutSecretValue (so a developer can set e.g. a real Twilio auth token with the AWS CLI).
 */
export async function startSecretsManager(
  store: LocalSecretStore,
  options: { port?: number } = {},
): Promise<RunningService> {
  const port = options.port ?? (await freePort());
  const server = createServer((request, response) => {
    if (!refused(request, response)) void serve(request, response, store);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    name: 'secretsmanager',
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const CREATED = Math.floor(Date.now() / 1000);
const VERSION_ID = '00000000-0000-4000-8000-000000000001';

const describe = (secret: LocalSecret) => ({
  ARN: secret.arn,
  Name: secret.name,
  CreatedDate: CREATED,
  LastChangedDate: CREATED,
});

type Action = (input: Record<string, unknown>, store: LocalSecretStore) => unknown;

const ACTIONS: Record<string, Action> = {
  GetSecretValue: (input, store) => {
    const secret = secretOf(input, store);
    return { ...describe(secret), SecretString: secret.value, VersionId: VERSION_ID, VersionStages: ['AWSCURRENT'] };
  },
  DescribeSecret: (input, store) => ({
    ...describe(secretOf(input, store)),
    VersionIdsToStages: { [VERSION_ID]: ['AWSCURRENT'] },
  }),
  ListSecrets: (_input, store) => ({ SecretList: store.list().map(describe) }),
  PutSecretValue: (input, store) => {
    if (typeof input.SecretString !== 'string')
      throw new ServiceError(
        'InvalidParameterException',
        'SecretString is required (binary secrets are not supported locally)',
      );
    const secret = store.set(secretOf(input, store).arn, input.SecretString);
    return { ARN: secret.arn, Name: secret.name, VersionId: VERSION_ID, VersionStages: ['AWSCURRENT'] };
  },
};

class ServiceError extends Error {
  readonly type: string;
  constructor(type: string, message: string) {
    super(message);
    this.type = type;
  }
}

function secretOf(input: Record<string, unknown>, store: LocalSecretStore): LocalSecret {
  const id = input.SecretId;
  if (typeof id !== 'string' || id === '') throw new ServiceError('InvalidParameterException', 'SecretId is required');
  const secret = store.find(id);
  if (!secret) throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
  return secret;
}

async function serve(request: IncomingMessage, response: ServerResponse, store: LocalSecretStore): Promise<void> {
  const headers = { 'content-type': 'application/x-amz-json-1.1' };
  try {
    const target = String(request.headers['x-amz-target'] ?? '');
    const action = Object.hasOwn(ACTIONS, target.replace(/^secretsmanager\./, ''))
      ? ACTIONS[target.replace(/^secretsmanager\./, '')]
      : undefined;
    if (!action)
      throw new ServiceError(
        'InvalidRequestException',
        `${target || 'the request'} is not supported by the local Secrets Manager`,
      );
    const body = (await readBody(request, 1024 * 1024)).toString('utf8');
    sendJson(response, 200, action(body ? (JSON.parse(body) as Record<string, unknown>) : {}, store), headers);
  } catch (error) {
    const known = error instanceof ServiceError;
    sendJson(
      response,
      known ? 400 : 500,
      { __type: known ? error.type : 'InternalServiceError', message: (error as Error).message },
      headers,
    );
  }
}
