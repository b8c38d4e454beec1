import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Template } from '@refarch/local-cloud';
import { twilio } from '../../support/votes.ts';
import { authHeaders } from '../../support/auth.ts';
import { awsConfig, localCloud } from '../../support/cloud.ts';

// Property-based fuzzing of every HTTP route through the local cloud's HTTP API (issue 7, hostile input):
// random methods, paths, headers, content types and bodies — huge, deeply nested, invalid UTF-8, prototype
// pollution keys — must never get a 5xx or hang, always get a JSON error (ours, or API Gateway's own for
// what it refuses before a function runs), and a rejected write must leave every table as it was.

interface Route {
  method: string;
  path: string;
  jwt: boolean;
}
interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array | string;
}

const serviceDir = resolve(import.meta.dirname, '../../..');
const REQUEST_TIMEOUT_MS = 35_000; // above API Gateway's 29 s integration timeout: a hang fails the run
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 25);

/** A route of the HTTP API (`GET /path`), not of the results WebSocket API (`$connect`, `getTotals`). */
const isHttpApiRoute = (r: { Properties?: Record<string, unknown> }) =>
  JSON.stringify(r.Properties?.ApiId) === '{"Ref":"HttpApi"}';

function routes(): Route[] {
  const template = JSON.parse(
    readFileSync(join(serviceDir, '.local', 'test', 'package', 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as Template;
  return Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route' && isHttpApiRoute(r))
    .map((r) => {
      const [method, path] = String(r.Properties!.RouteKey).split(' ') as [string, string];
      return { method, path, jwt: r.Properties!.AuthorizationType === 'JWT' };
    });
}

const pathSegment = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.constantFrom(
    '..',
    '%00',
    '%2F',
    '%252F',
    'null',
    'undefined',
    '__proto__',
    'constructor',
    '%E0%A4%A',
    '😀',
    ' '.repeat(3),
  ),
  fc.string({ minLength: 200, maxLength: 2000 }),
);

/** The route's path with each {parameter} replaced by something hostile, encoded as a client would send it. */
const concretePath = (path: string) =>
  fc.array(pathSegment, { minLength: 4, maxLength: 4 }).map((values) => {
    let i = 0;
    return path.replace(/\{[^}]+\}/g, () => encodeURIComponent(values[i++ % values.length]!).slice(0, 1500));
  });

const deeplyNested = (depth: number) => `${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`;
const pollution = [
  '{"__proto__":{"polluted":true,"isAdmin":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"headline":"x","text":"y","__proto__":{"toString":1}}',
];

const body = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value) ?? 'null'),
  fc.constantFrom(...pollution, deeplyNested(3000), '', '{', '[]', 'null', '"\\ud800"'),
  fc.uint8Array({ minLength: 1, maxLength: 512 }), // arbitrary bytes, mostly invalid UTF-8
  fc.integer({ min: 64, max: 2048 }).map((kb) => 'x'.repeat(kb * 1024)), // huge
  fc.string({ maxLength: 200 }).map((text) => `From=%2B1555&Body=${encodeURIComponent(text)}&%ZZ=1`),
);

const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'application/x-www-form-urlencoded',
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  '*/*',
  'garbage',
);

const request = (route: Route): fc.Arbitrary<Sent> =>
  fc
    .record({
      method: fc.oneof(
        { weight: 4, arbitrary: fc.constant(route.method) },
        { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD') },
      ),
      path: route.path.includes('{') ? concretePath(route.path) : fc.constant(route.path),
      query: fc.dictionary(
        fc.constantFrom('q', 'limit', 'from', 'to', 'cursor', 'sensorId', '__proto__', 'x'),
        fc.oneof(fc.string({ maxLength: 100 }), fc.constantFrom('-1', '0', '1e309', 'NaN', '99999999999999999999')),
      ),
      contentType,
      extraHeaders: fc.dictionary(
        fc.constantFrom('x-forwarded-for', 'user-agent', 'content-encoding', 'origin', 'x-amz-date'),
        fc.string({ maxLength: 60 }).map((v) => v.replace(/[^\x20-\x7e]/g, '')),
      ),
      body: fc.option(body, { nil: undefined }),
    })
    .map(({ method, path, query, contentType: type, extraHeaders, body: payload }) => ({
      method,
      path: `${path}${Object.keys(query).length ? `?${new URLSearchParams(query)}` : ''}`,
      headers: { ...extraHeaders, ...(type ? { 'content-type': type } : {}) },
      body: method === 'GET' || method === 'HEAD' ? undefined : payload,
    }));

async function send(sent: Sent, auth: Record<string, string>): Promise<{ status: number; text: string }> {
  const response = await fetch(`${localCloud().endpoints.http}${sent.path}`, {
    method: sent.method,
    headers: { ...sent.headers, ...auth },
    body: sent.body as BodyInit | undefined,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  return { status: response.status, text: await response.text() };
}

/** Our shape `{"error":{"code","message"}}`, or API Gateway's own `{"message"}` for what it answers itself. */
function isJsonError(text: string): boolean {
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown }; message?: unknown };
    return (
      (typeof parsed.error?.code === 'string' && typeof parsed.error.message === 'string') ||
      typeof parsed.message === 'string'
    );
  } catch {
    return false;
  }
}

const dynamodb = new DynamoDBClient(awsConfig('dynamodb'));

/** Item counts of every table of the test stack. */
async function tableCounts(): Promise<Record<string, number>> {
  const { TableNames = [] } = await dynamodb.send(new ListTablesCommand({}));
  const ours = TableNames.filter((name) => name.startsWith(`${localCloud().stackName}-`));
  const counts = await Promise.all(
    ours.map(async (TableName) => {
      let count = 0;
      let ExclusiveStartKey: Record<string, never> | undefined;
      do {
        const page = await dynamodb.send(new ScanCommand({ TableName, Select: 'COUNT', ExclusiveStartKey }));
        count += page.Count ?? 0;
        ExclusiveStartKey = page.LastEvaluatedKey as typeof ExclusiveStartKey;
      } while (ExclusiveStartKey);
      return [TableName, count] as const;
    }),
  );
  return Object.fromEntries(counts);
}

/** What a genuine caller adds: a user's token on JWT routes, Twilio's signature of the body on the SMS webhook. */
async function credentials(route: Route, sent: Sent): Promise<Record<string, string>> {
  if (route.jwt) return auth;
  if (`${route.method} ${route.path}` !== 'POST /votes/sms') return {};
  const text = typeof sent.body === 'string' ? sent.body : new TextDecoder().decode(sent.body ?? new Uint8Array());
  return { 'x-twilio-signature': (await twilio()).sign([...new URLSearchParams(text)]) };
}

let auth: Record<string, string>;

describe('fuzzing every HTTP route through the local HTTP API', () => {
  beforeAll(async () => {
    // An operator, so the IoT routes' functions get the fuzzed requests too (other routes ignore the group).
    const { authorization } = await authHeaders('fuzzer', { groups: ['operators'] });
    auth = { authorization: authorization! };
  });
  afterAll(() => dynamodb.destroy());

  it.each(routes().map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s: never a 5xx or a hang, always a JSON error, nothing written when refused',
    async (_, route) => {
      const before = await tableCounts();
      let acceptedWrites = 0;
      await fc.assert(
        fc.asyncProperty(request(route), fc.boolean(), async (sent, withCredentials) => {
          const { status, text } = await send(sent, withCredentials ? await credentials(route, sent) : {});
          expect(status, `${sent.method} ${sent.path.slice(0, 200)} -> ${status} ${text.slice(0, 300)}`).toBeLessThan(
            500,
          );
          if (status >= 400 && sent.method !== 'HEAD')
            expect(isJsonError(text), `${status} body: ${text.slice(0, 300)}`).toBe(true);
          if (status < 300 && sent.method !== 'GET' && sent.method !== 'HEAD') acceptedWrites += 1;
        }),
        { numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      );
      // Random input is almost never valid; when nothing was accepted, no table may have changed.
      if (acceptedWrites === 0) expect(await tableCounts()).toEqual(before);
    },
    600_000,
  );
});
