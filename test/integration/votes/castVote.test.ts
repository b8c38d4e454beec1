import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { twilioSignature } from '../../../src/domain/votes/twilio-signature.ts';
import { authHeaders, userIdFor } from '../../support/auth.ts';
import { awsConfig, localCloud, physicalId } from '../../support/cloud.ts';
import { castVote, smsVote, twilio, uniqueVoter } from '../../support/votes.ts';

const db = DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig('dynamodb')));
const post = (path: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(`${localCloud().endpoints.http}${path}`, { method: 'POST', headers, body });
const voteItem = async (voterId: string) =>
  (await db.send(new GetCommand({ TableName: physicalId('VoteApp'), Key: { VoterId: voterId } }))).Item;
const voteCount = async () =>
  (await db.send(new ScanCommand({ TableName: physicalId('VoteApp'), Select: 'COUNT' }))).Count;
const form = 'application/x-www-form-urlencoded';

describe('castVote: POST /votes (signed-in users)', () => {
  it("records a vote under the token's sub, and a second vote moves it", async () => {
    const user = uniqueVoter('web');
    const first = await castVote(user, 'RED');
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ candidate: 'RED', changed: true });
    expect(await voteItem(userIdFor(user))).toMatchObject({ VoterId: userIdFor(user), Candidate: 'RED', Version: 1 });
    await castVote(user, 'BLUE');
    expect(await voteItem(userIdFor(user))).toMatchObject({ Candidate: 'BLUE', Version: 2 });
    const same = await castVote(user, 'BLUE');
    expect(await same.json()).toMatchObject({ changed: false });
    expect(await voteItem(userIdFor(user))).toMatchObject({ Candidate: 'BLUE', Version: 2 });
  });

  it("ignores a voterId in the body: it can neither add a ballot nor replace someone's vote", async () => {
    const [user, victim] = [uniqueVoter('attacker'), uniqueVoter('victim')];
    await castVote(victim, 'GREEN');
    for (const voterId of [userIdFor(victim), 'ballot-1', 'ballot-2']) {
      const response = await post('/votes', JSON.stringify({ voterId, candidate: 'RED' }), await authHeaders(user));
      expect(response.status).toBe(200);
    }
    expect(await voteItem('ballot-1')).toBeUndefined();
    expect(await voteItem('ballot-2')).toBeUndefined();
    expect(await voteItem(userIdFor(victim))).toMatchObject({ Candidate: 'GREEN', Version: 1 });
    expect(await voteItem(userIdFor(user))).toMatchObject({ Candidate: 'RED', Version: 1 });
  });

  it.each([
    ['no token', {}],
    ['a malformed token', { authorization: 'Bearer not-a-jwt' }],
    ['a token signed by another key', { authorization: `Bearer ${forgedToken()}` }],
  ])('refuses a vote with %s: 401, nothing written', async (_label, headers) => {
    const before = await voteCount();
    const response = await post('/votes', JSON.stringify({ voterId: 'x-anonymous', candidate: 'RED' }), {
      'content-type': 'application/json',
      ...headers,
    });
    expect(response.status).toBe(401);
    expect(await voteItem('x-anonymous')).toBeUndefined();
    expect(await voteCount()).toBe(before);
  });

  it.each([
    ['unknown candidate', JSON.stringify({ candidate: 'PURPLE' }), 'application/json', 400],
    ['missing candidate', JSON.stringify({ voterId: 'x' }), 'application/json', 400],
    ['malformed JSON', '{"candidate": "RED", ', 'application/json', 400],
    ['wrong content type', 'candidate=RED', 'text/plain', 415],
    ['body over 10 KB', JSON.stringify({ candidate: 'RED', padding: 'p'.repeat(11 * 1024) }), 'application/json', 413],
  ])('rejects %s with a JSON error and writes nothing', async (_label, body, contentType, status) => {
    const user = uniqueVoter('bad');
    const response = await post('/votes', body, { ...(await authHeaders(user)), 'content-type': contentType });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const error = ((await response.json()) as { error: { code: string; message: string } }).error;
    expect(error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    expect(await voteItem(userIdFor(user))).toBeUndefined();
  });

  it('lists the valid candidates when the candidate is unknown', async () => {
    const response = await castVote(uniqueVoter('unknown'), 'PURPLE');
    expect(JSON.stringify(await response.json())).toMatch(/RED.*GREEN.*BLUE/);
  });
});

describe('castVote: POST /votes/sms (Twilio webhook)', () => {
  const phone = () =>
    `+1555${Math.floor(Math.random() * 1e7)
      .toString()
      .padStart(7, '0')}`;

  it('answers TwiML, accepts any case and white space, and stores no phone number', async () => {
    const from = phone();
    const response = await smsVote({ From: from, Body: '  gReEn \n', To: '+15005550006', MessageSid: 'SM0123' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/xml/);
    expect(await response.text()).toContain('<Message>Thank you for casting a vote for GREEN</Message>');
    const items = (await db.send(new ScanCommand({ TableName: physicalId('VoteApp') }))).Items ?? [];
    expect(JSON.stringify(items)).not.toContain(from.slice(1));
    expect(items.some((item) => String(item.VoterId).startsWith('sms:') && item.Candidate === 'GREEN')).toBe(true);
  });

  it('replies with the choices when the SMS names no candidate, and writes nothing', async () => {
    const before = await voteCount();
    const response = await smsVote({ From: phone(), Body: 'purple' });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/RED.*GREEN.*BLUE/);
    expect(await voteCount()).toBe(before);
  });

  it('rejects a signed webhook without From with a JSON 400', async () => {
    const response = await smsVote({ Body: 'RED' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: expect.any(String) } });
  });

  it.each([
    ['no signature', async () => ({})],
    [
      'a signature made with another auth token',
      async (params: Array<[string, string]>, url: string) => ({
        'x-twilio-signature': twilioSignature('guessed-token', url, params),
      }),
    ],
    [
      'a signature for another URL',
      async (params: Array<[string, string]>, url: string) => ({
        'x-twilio-signature': twilioSignature(await twilioToken(), url.replace('/votes/sms', '/other'), params),
      }),
    ],
    [
      'a tampered signature',
      async (params: Array<[string, string]>) => ({
        'x-twilio-signature': (await twilio()).sign(params).replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
      }),
    ],
    [
      'a genuine signature replayed with another From',
      async () => ({
        'x-twilio-signature': (await twilio()).sign([
          ['From', '+15550000001'],
          ['Body', 'RED'],
        ]),
      }),
    ],
  ])('refuses an SMS with %s: 403 JSON error, nothing written', async (_label, signatureHeaders) => {
    const { url } = await twilio();
    const params: Array<[string, string]> = [
      ['From', phone()],
      ['Body', 'RED'],
    ];
    const before = await voteCount();
    const response = await post('/votes/sms', new URLSearchParams(params).toString(), {
      'content-type': form,
      ...(await signatureHeaders(params, url)),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_signature', message: expect.any(String) } });
    expect(await voteCount()).toBe(before);
  });

  it("cannot be looped to cast votes for made-up numbers or to move a real person's vote", async () => {
    const victim = phone();
    expect((await smsVote({ From: victim, Body: 'GREEN' })).status).toBe(200);
    const before = await voteCount();
    for (let n = 0; n < 5; n += 1) {
      const response = await post(
        '/votes/sms',
        new URLSearchParams({ From: n === 0 ? victim : phone(), Body: 'RED' }).toString(),
        { 'content-type': form },
      );
      expect(response.status).toBe(403);
    }
    expect(await voteCount()).toBe(before);
  });
});

/** The test cloud's Twilio auth token, from its secrets file (twilioAuthToken). */
async function twilioToken(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const file = new URL('../../../.local/test/secrets.json', import.meta.url);
  return (JSON.parse(await readFile(file, 'utf8')) as { twilioAuthToken: string }).twilioAuthToken;
}

/** A JWT with the right shape but signed by no key the local user pool knows. */
function forgedToken(): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', kid: 'forged' })}.${part({ sub: 'forged-user', token_use: 'id', exp: Math.floor(Date.now() / 1000) + 3600 })}.${Buffer.from('sig').toString('base64url')}`;
}
