import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { httpHandler as HttpHandler } from '../../../src/functions/shared/http.ts';
import { httpEvent, lambdaContext, parseBody } from '../support/http-event.ts';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
let handler: ReturnType<typeof HttpHandler>;

beforeAll(async () => {
  const { httpHandler, json, route } = await import('../../../src/functions/shared/http.ts');
  const { memberOf } = await import('../../../src/functions/shared/caller.ts');
  handler = httpHandler({
    'POST /things': route({
      accepts: ['json', 'form'],
      body: z.object({ name: z.string().max(5, 'name must be at most 5 characters') }),
      handle: async ({ body }) => json(201, { name: body.name }),
    }),
    'GET /boom': route({
      handle: async () => {
        throw new Error('secret internals: table refarch-dev-VoteApp');
      },
    }),
    'POST /ops': route({
      authorize: memberOf('operators'),
      accepts: ['json'],
      body: z.object({ n: z.number() }),
      handle: async () => json(200, { ok: true }),
    }),
  });
});

const invoke = async (...args: Parameters<typeof httpEvent>) => {
  const response = await handler(httpEvent(...args), lambdaContext());
  if (!response) throw new Error('no response');
  return response;
};

describe('the shared HTTP helper', () => {
  it("parses a JSON body, validates it and returns the route's response", async () => {
    const response = await invoke('POST /things', {
      body: '{"name":"ab"}',
      contentType: 'application/json; charset=utf-8',
    });
    expect(response.statusCode).toBe(201);
    expect(parseBody(response)).toEqual({ name: 'ab' });
    expect(response.headers?.['Content-Type']).toMatch(/^application\/json/);
  });

  it('parses form-encoded and base64-encoded bodies, whatever the header case', async () => {
    const response = await invoke('POST /things', {
      body: 'name=c%20d',
      contentType: 'Application/X-WWW-Form-Urlencoded',
      base64: true,
    });
    expect(response.statusCode).toBe(201);
    expect(parseBody(response)).toEqual({ name: 'c d' });
  });

  it.each([
    [
      'a body over the limit',
      { body: JSON.stringify({ name: 'x'.repeat(11 * 1024) }), contentType: 'application/json' },
      413,
      'payload_too_large',
    ],
    [
      'a base64 body over the limit',
      { body: JSON.stringify({ name: 'x'.repeat(10 * 1024) }), contentType: 'application/json', base64: true },
      413,
      'payload_too_large',
    ],
    ['an unsupported content type', { body: 'name=x', contentType: 'text/plain' }, 415, 'unsupported_media_type'],
    ['a missing content type', { body: '{"name":"x"}' }, 415, 'unsupported_media_type'],
    ['malformed JSON', { body: '{"name": ', contentType: 'application/json' }, 400, 'malformed_body'],
    ['a missing body', { contentType: 'application/json' }, 400, 'malformed_body'],
    [
      'a body failing the schema',
      { body: '{"name":"too long"}', contentType: 'application/json' },
      400,
      'invalid_request',
    ],
    ['a body that is not an object', { body: '[1,2]', contentType: 'application/json' }, 400, 'invalid_request'],
  ])('answers %s with a JSON error', async (_label, options, status, code) => {
    const response = await invoke('POST /things', options);
    expect(response.statusCode).toBe(status);
    expect(response.headers?.['Content-Type']).toMatch(/^application\/json/);
    const { error } = parseBody(response);
    expect(error.code).toBe(code);
    expect(error.message).toEqual(expect.any(String));
  });

  it('checks the size before parsing, on the decoded size of a base64 body', async () => {
    // 9 KB of JSON is 12 KB in base64: still under the limit, because the limit is on what the client sent.
    const response = await invoke('POST /things', {
      body: JSON.stringify({ name: 'x'.repeat(9 * 1024) }),
      contentType: 'application/json',
      base64: true,
    });
    expect(parseBody(response).error.code).toBe('invalid_request');
  });

  it('lists the validation issues as details', async () => {
    const { error } = parseBody(
      await invoke('POST /things', { body: '{"name":"too long"}', contentType: 'application/json' }),
    );
    expect(error.details).toEqual([{ path: 'name', message: 'name must be at most 5 characters' }]);
  });

  it('names the accepted content types on a 415', async () => {
    const { error } = parseBody(await invoke('POST /things', { body: 'x', contentType: 'text/csv' }));
    expect(error.details).toEqual({ accepted: ['application/json', 'application/x-www-form-urlencoded'] });
  });

  it('answers an unknown route with a JSON 404', async () => {
    const response = await invoke('DELETE /things');
    expect(response.statusCode).toBe(404);
    expect(parseBody(response).error.code).toBe('not_found');
  });

  it('answers our own faults with a bare 500 that reveals no internals', async () => {
    const response = await invoke('GET /boom');
    expect(response.statusCode).toBe(500);
    expect(parseBody(response)).toEqual({ error: { code: 'internal_error', message: 'Internal server error' } });
    expect(response.body).not.toContain('secret');
  });

  it("checks a route's group before it reads the request: 401 without a verified user, 403 outside the group", async () => {
    const signedIn = (groups?: string) => ({
      authorizer: { jwt: { claims: { sub: 'u-1', ...(groups ? { 'cognito:groups': groups } : {}) }, scopes: null } },
    });
    const call = async (claims: object | undefined, body: string, contentType = 'application/json') => {
      const event = httpEvent('POST /ops', { body, contentType });
      Object.assign(event.requestContext, claims);
      const response = await handler(event, lambdaContext());
      if (!response) throw new Error('no response');
      return response;
    };
    // A malformed body of the wrong type still gets the authorization answer first.
    expect(parseBody(await call(undefined, 'junk', 'text/plain'))).toMatchObject({ error: { code: 'unauthorized' } });
    const stranger = await call(signedIn('[admins]'), 'junk', 'text/plain');
    expect(stranger.statusCode).toBe(403);
    expect(parseBody(stranger)).toEqual({
      error: {
        code: 'forbidden',
        message: 'Only members of the operators group may do this',
        details: { requiredGroup: 'operators' },
      },
    });
    expect((await call(signedIn('[operators]'), '{"n":1}')).statusCode).toBe(200);
    expect((await call(signedIn('[operators]'), 'junk', 'text/plain')).statusCode).toBe(415);
  });
});
