import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll } from 'vitest';
import { localSecretStore, startSecretsManager, type RunningService } from '@refarch/local-cloud';
import { twilioSignature } from '../../../src/domain/votes/twilio-signature.ts';
import { httpEvent, lambdaContext, parseBody } from '../support/http-event.ts';

// The handler as deployed, with its environment; DynamoDB points at a closed port, so a request
// that got as far as writing would fail with a 500 instead of the 4xx these tests expect. Its secrets
// come from the local Secrets Manager, as on the local cloud.
const WEBHOOK_URL = 'https://votes.example.test/votes/sms';
const secrets = localSecretStore(join(mkdtempSync(join(tmpdir(), 'castvote-')), 'secrets.json'));
const hashKey = secrets.add(
  'VoterHashKey',
  'refarch-test-voter-hash-key',
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:refarch-test-voter-hash-key-abcdef',
);
const authToken = secrets.add(
  'TwilioAuthToken',
  'refarch-test-twilio-auth-token',
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:refarch-test-twilio-auth-token-abcdef',
);
type Handler = (
  event: APIGatewayProxyEventV2,
  context: ReturnType<typeof lambdaContext>,
) => Promise<{ statusCode?: number; body?: string; headers?: Record<string, unknown> } | void>;
let handler: Handler;
let secretsManager: RunningService;
beforeAll(async () => {
  secretsManager = await startSecretsManager(secrets);
  Object.assign(process.env, {
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    VOTES_TABLE: 'refarch-test-VoteApp',
    CANDIDATES: 'RED,GREEN,BLUE',
    VOTER_HASH_KEY_SECRET: hashKey.arn,
    TWILIO_AUTH_TOKEN_SECRET: authToken.arn,
    SMS_WEBHOOK_URL: WEBHOOK_URL,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_MAX_ATTEMPTS: '1',
    AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint,
  });
  ({ handler } = (await import('../../../src/functions/votes/castVote.ts')) as unknown as { handler: Handler });
});
afterAll(async () => {
  await secretsManager.stop();
});

/** A web vote as the HTTP API passes it after its JWT authorizer verified the token. */
const vote = async (
  body: string,
  contentType = 'application/json',
  sub: string | null = 'a2b1c3d4-0000-4000-8000-000000000001',
) => {
  const event = httpEvent('POST /votes', { body, contentType });
  if (sub) Object.assign(event.requestContext, { authorizer: { jwt: { claims: { sub }, scopes: null } } });
  const response = await handler(event, lambdaContext('castVote'));
  if (!response) throw new Error('no response');
  return response;
};
const sms = async (
  form: Record<string, string>,
  signature: string | null = twilioSignature(authToken.value, WEBHOOK_URL, Object.entries(form)),
) => {
  const event = httpEvent('POST /votes/sms', {
    body: new URLSearchParams(form).toString(),
    contentType: 'application/x-www-form-urlencoded',
    base64: true,
    headers: signature === null ? {} : { 'X-Twilio-Signature': signature },
  });
  const response = await handler(event, lambdaContext('castVote'));
  if (!response) throw new Error('no response');
  return response;
};

describe('castVote: bad input is answered with a JSON error and never reaches DynamoDB', () => {
  it.each([
    ['an unknown candidate', JSON.stringify({ candidate: 'PURPLE' }), 'application/json', 400, 'unknown_candidate'],
    ['a missing candidate', JSON.stringify({ voterId: 'alice' }), 'application/json', 400, 'invalid_request'],
    ['malformed JSON', '{"candidate": "RED", ', 'application/json', 400, 'malformed_body'],
    [
      'a form body on the JSON route',
      'voterId=alice&candidate=RED',
      'application/x-www-form-urlencoded',
      415,
      'unsupported_media_type',
    ],
    ['a text body', 'alice RED', 'text/plain', 415, 'unsupported_media_type'],
    [
      'a body over 10 KB',
      JSON.stringify({ voterId: 'alice', candidate: 'RED', padding: 'p'.repeat(10 * 1024) }),
      'application/json',
      413,
      'payload_too_large',
    ],
  ])('%s', async (_label, body, contentType, status, code) => {
    const response = await vote(body, contentType);
    expect(response.statusCode).toBe(status);
    expect(parseBody(response).error).toMatchObject({ code, message: expect.any(String) });
  });

  it('lists the valid candidates for an unknown one', async () => {
    const { error } = parseBody(await vote(JSON.stringify({ candidate: 'PURPLE' })));
    expect(error.details).toEqual({ validCandidates: ['RED', 'GREEN', 'BLUE'] });
  });

  it('rejects an SMS webhook without From, or without Body, with a JSON 400', async () => {
    for (const form of [{ Body: 'RED' }, { From: '+14155550123' }] as Array<Record<string, string>>) {
      const response = await sms(form);
      expect(response.statusCode).toBe(400);
      expect(parseBody(response).error.code).toBe('invalid_request');
    }
  });

  it('answers an SMS naming no candidate with the choices in TwiML, without writing', async () => {
    const response = await sms({ From: '+14155550123', Body: 'purple & <b>' });
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['Content-Type']).toMatch(/^text\/xml/);
    expect(response.body).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?><Response><Message>.*RED, GREEN, BLUE<\/Message><\/Response>$/,
    );
  });

  it('refuses a web vote that reached the function without a verified user (no authorizer) with a 401', async () => {
    const response = await vote(JSON.stringify({ voterId: 'alice', candidate: 'RED' }), 'application/json', null);
    expect(response.statusCode).toBe(401);
    expect(parseBody(response).error.code).toBe('unauthorized');
  });

  it.each([
    ['no signature', null],
    [
      'a signature with another auth token',
      twilioSignature('not-the-token', WEBHOOK_URL, [
        ['From', '+14155550123'],
        ['Body', 'RED'],
      ]),
    ],
    [
      'a signature for another URL',
      twilioSignature(authToken.value, 'https://elsewhere.example.test/votes/sms', [
        ['From', '+14155550123'],
        ['Body', 'RED'],
      ]),
    ],
    [
      'a signature of another body',
      twilioSignature(authToken.value, WEBHOOK_URL, [
        ['From', '+14155550999'],
        ['Body', 'RED'],
      ]),
    ],
    ['a garbage signature', 'x'],
  ])('refuses an SMS webhook with %s: 403 before anything is read or written', async (_label, signature) => {
    const response = await sms({ From: '+14155550123', Body: 'RED' }, signature);
    expect(response.statusCode).toBe(403);
    expect(parseBody(response).error.code).toBe('invalid_signature');
  });

  it('answers a storage failure with a bare 500 and no internals', async () => {
    const response = await vote(JSON.stringify({ candidate: 'RED' }));
    expect(response.statusCode).toBe(500);
    expect(parseBody(response)).toEqual({ error: { code: 'internal_error', message: 'Internal server error' } });
  });
});

describe('castVote sample events', () => {
  const sample = (name: string) =>
    JSON.parse(readFileSync(join(import.meta.dirname, '../../../events', name), 'utf8')) as APIGatewayProxyEventV2;

  it('events/castVote.json is a valid JSON vote', async () => {
    const event = sample('castVote.json');
    expect(event).toMatchObject({ version: '2.0', routeKey: 'POST /votes', isBase64Encoded: false });
    expect(JSON.parse(event.body!)).toEqual({ candidate: 'RED' });
    expect(event.requestContext).toMatchObject({ authorizer: { jwt: { claims: { sub: expect.any(String) } } } });
    expect(event.headers['content-length']).toBe(String(Buffer.byteLength(event.body!)));
  });

  it('events/castVote-sms.json is a base64 form-encoded webhook naming a candidate', async () => {
    const event = sample('castVote-sms.json');
    expect(event).toMatchObject({ version: '2.0', routeKey: 'POST /votes/sms', isBase64Encoded: true });
    const form = new URLSearchParams(Buffer.from(event.body!, 'base64').toString('utf8'));
    expect(form.get('From')).toMatch(/^\+\d+$/);
    expect(form.get('Body')?.trim().toUpperCase()).toBe('GREEN');
    expect(event.headers['content-length']).toBe(String(Buffer.from(event.body!, 'base64').length));
    expect(event.headers['x-twilio-signature']).toEqual(expect.any(String));
  });

  it('events/getResults.json is a GET /results request', () => {
    expect(sample('getResults.json')).toMatchObject({
      version: '2.0',
      routeKey: 'GET /results',
      requestContext: { http: { method: 'GET', path: '/results' } },
    });
  });
});
