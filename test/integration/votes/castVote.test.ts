import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { awsConfig, localCloud, physicalId } from '../../support/cloud.ts';
import { uniqueVoter } from '../../support/votes.ts';

const db = DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig('dynamodb')));
const post = (path: string, body: string, contentType = 'application/json') =>
  fetch(`${localCloud().endpoints.http}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
const voteItem = async (voterId: string) => (await db.send(new GetCommand({ TableName: physicalId('VoteApp'), Key: { VoterId: voterId } }))).Item;

describe('castVote: POST /votes', () => {
  it('records a vote, and a second vote moves it', async () => {
    const voterId = uniqueVoter('web');
    const first = await post('/votes', JSON.stringify({ voterId, candidate: 'RED' }));
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ voterId, candidate: 'RED', changed: true });
    expect(await voteItem(voterId)).toMatchObject({ VoterId: voterId, Candidate: 'RED', Version: 1 });
    await post('/votes', JSON.stringify({ voterId, candidate: 'BLUE' }));
    expect(await voteItem(voterId)).toMatchObject({ Candidate: 'BLUE', Version: 2 });
    const same = await post('/votes', JSON.stringify({ voterId, candidate: 'BLUE' }));
    expect(await same.json()).toMatchObject({ changed: false });
    expect(await voteItem(voterId)).toMatchObject({ Candidate: 'BLUE', Version: 2 });
  });

  it.each([
    ['unknown candidate', JSON.stringify({ voterId: 'x-unknown', candidate: 'PURPLE' }), 'application/json', 400],
    ['missing voterId', JSON.stringify({ candidate: 'RED' }), 'application/json', 400],
    ['overlong voterId', JSON.stringify({ voterId: 'x'.repeat(129), candidate: 'RED' }), 'application/json', 400],
    ['malformed JSON', '{"voterId": "x-malformed", ', 'application/json', 400],
    ['wrong content type', 'voterId=x-form&candidate=RED', 'text/plain', 415],
    ['body over 10 KB', JSON.stringify({ voterId: 'x-big', candidate: 'RED', padding: 'p'.repeat(11 * 1024) }), 'application/json', 413],
  ])('rejects %s with a JSON error and writes nothing', async (_label, body, contentType, status) => {
    const response = await post('/votes', body, contentType);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const error = (await response.json() as { error: { code: string; message: string } }).error;
    expect(error.code).toEqual(expect.any(String));
    expect(error.message).toEqual(expect.any(String));
    for (const voterId of ['x-unknown', 'x-malformed', 'x-form', 'x-big']) expect(await voteItem(voterId)).toBeUndefined();
  });

  it('lists the valid candidates when the candidate is unknown', async () => {
    const response = await post('/votes', JSON.stringify({ voterId: 'x-unknown', candidate: 'PURPLE' }));
    expect(JSON.stringify(await response.json())).toMatch(/RED.*GREEN.*BLUE/);
  });
});

describe('castVote: POST /votes/sms (SMS webhook)', () => {
  const phone = `+1555${Math.floor(Math.random() * 1e7).toString().padStart(7, '0')}`;

  it('answers TwiML, accepts any case and white space, and stores no phone number', async () => {
    const response = await post('/votes/sms', new URLSearchParams({ From: phone, Body: '  gReEn \n' }).toString(), 'application/x-www-form-urlencoded');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/xml/);
    expect(await response.text()).toContain('<Message>Thank you for casting a vote for GREEN</Message>');
    const items = (await db.send(new ScanCommand({ TableName: physicalId('VoteApp') }))).Items ?? [];
    expect(JSON.stringify(items)).not.toContain(phone.slice(1));
    expect(items.some((item) => String(item.VoterId).startsWith('sms:') && item.Candidate === 'GREEN')).toBe(true);
  });

  it('replies with the choices when the SMS names no candidate, and writes nothing', async () => {
    const other = `+1666${Math.floor(Math.random() * 1e7).toString().padStart(7, '0')}`;
    const before = ((await db.send(new ScanCommand({ TableName: physicalId('VoteApp'), Select: 'COUNT' }))).Count);
    const response = await post('/votes/sms', new URLSearchParams({ From: other, Body: 'purple' }).toString(), 'application/x-www-form-urlencoded');
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/RED.*GREEN.*BLUE/);
    expect((await db.send(new ScanCommand({ TableName: physicalId('VoteApp'), Select: 'COUNT' }))).Count).toBe(before);
  });

  it('rejects a webhook without From with a JSON 400', async () => {
    const response = await post('/votes/sms', new URLSearchParams({ Body: 'RED' }).toString(), 'application/x-www-form-urlencoded');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: expect.any(String) } });
  });
});
