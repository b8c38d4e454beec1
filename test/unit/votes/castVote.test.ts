import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { httpEvent, lambdaContext, parseBody } from '../support/http-event.ts';

// The handler as deployed, with its environment; DynamoDB points at a closed port, so a request
// that got as far as writing would fail with a 500 instead of the 4xx these tests expect.
Object.assign(process.env, {
  POWERTOOLS_LOG_LEVEL: 'SILENT', VOTES_TABLE: 'refarch-test-VoteApp', CANDIDATES: 'RED,GREEN,BLUE', VOTER_HASH_KEY: 'test-key',
  AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_MAX_ATTEMPTS: '1',
  AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
});
type Handler = (event: APIGatewayProxyEventV2, context: ReturnType<typeof lambdaContext>) => Promise<{ statusCode?: number; body?: string; headers?: Record<string, unknown> } | void>;
let handler: Handler;
beforeAll(async () => {
  ({ handler } = await import('../../../src/functions/votes/castVote.ts') as unknown as { handler: Handler });
});

const vote = async (body: string, contentType = 'application/json') => {
  const response = await handler(httpEvent('POST /votes', { body, contentType }), lambdaContext('castVote'));
  if (!response) throw new Error('no response');
  return response;
};
const sms = async (form: Record<string, string>) => {
  const response = await handler(httpEvent('POST /votes/sms', { body: new URLSearchParams(form).toString(), contentType: 'application/x-www-form-urlencoded', base64: true }), lambdaContext('castVote'));
  if (!response) throw new Error('no response');
  return response;
};

describe('castVote: bad input is answered with a JSON error and never reaches DynamoDB', () => {
  it.each([
    ['an unknown candidate', JSON.stringify({ voterId: 'alice', candidate: 'PURPLE' }), 'application/json', 400, 'unknown_candidate'],
    ['a missing voterId', JSON.stringify({ candidate: 'RED' }), 'application/json', 400, 'invalid_request'],
    ['an overlong voterId', JSON.stringify({ voterId: 'x'.repeat(129), candidate: 'RED' }), 'application/json', 400, 'invalid_request'],
    ['malformed JSON', '{"voterId": "alice", ', 'application/json', 400, 'malformed_body'],
    ['a form body on the JSON route', 'voterId=alice&candidate=RED', 'application/x-www-form-urlencoded', 415, 'unsupported_media_type'],
    ['a text body', 'alice RED', 'text/plain', 415, 'unsupported_media_type'],
    ['a body over 10 KB', JSON.stringify({ voterId: 'alice', candidate: 'RED', padding: 'p'.repeat(10 * 1024) }), 'application/json', 413, 'payload_too_large'],
  ])('%s', async (_label, body, contentType, status, code) => {
    const response = await vote(body, contentType);
    expect(response.statusCode).toBe(status);
    expect(parseBody(response).error).toMatchObject({ code, message: expect.any(String) });
  });

  it('lists the valid candidates for an unknown one', async () => {
    const { error } = parseBody(await vote(JSON.stringify({ voterId: 'alice', candidate: 'PURPLE' })));
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
    expect(response.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response><Message>.*RED, GREEN, BLUE<\/Message><\/Response>$/);
  });

  it('answers a storage failure with a bare 500 and no internals', async () => {
    const response = await vote(JSON.stringify({ voterId: 'alice', candidate: 'RED' }));
    expect(response.statusCode).toBe(500);
    expect(parseBody(response)).toEqual({ error: { code: 'internal_error', message: 'Internal server error' } });
  });
});

describe('castVote sample events', () => {
  const sample = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, '../../../events', name), 'utf8')) as APIGatewayProxyEventV2;

  it('events/castVote.json is a valid JSON vote', async () => {
    const event = sample('castVote.json');
    expect(event).toMatchObject({ version: '2.0', routeKey: 'POST /votes', isBase64Encoded: false });
    expect(JSON.parse(event.body!)).toMatchObject({ voterId: expect.any(String), candidate: 'RED' });
    expect(event.headers['content-length']).toBe(String(Buffer.byteLength(event.body!)));
  });

  it('events/castVote-sms.json is a base64 form-encoded webhook naming a candidate', async () => {
    const event = sample('castVote-sms.json');
    expect(event).toMatchObject({ version: '2.0', routeKey: 'POST /votes/sms', isBase64Encoded: true });
    const form = new URLSearchParams(Buffer.from(event.body!, 'base64').toString('utf8'));
    expect(form.get('From')).toMatch(/^\+\d+$/);
    expect(form.get('Body')?.trim().toUpperCase()).toBe('GREEN');
    expect(event.headers['content-length']).toBe(String(Buffer.from(event.body!, 'base64').length));
  });

  it('events/getResults.json is a GET /results request', () => {
    expect(sample('getResults.json')).toMatchObject({ version: '2.0', routeKey: 'GET /results', requestContext: { http: { method: 'GET', path: '/results' } } });
  });
});
