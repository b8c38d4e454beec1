import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultRate, injectWriteFaults } from '../../../src/adapters/faults.ts';

// A stand-in DynamoDB endpoint that accepts every request (an empty JSON answer is a valid
// PutItem/GetItem output) and counts what reached it. The SDK client itself is real.
let received: string[] = [];
const server = createServer((request, response) => {
  received.push(String(request.headers['x-amz-target']));
  request.resume().on('end', () => {
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}');
  });
});
let endpoint = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const client = (draw: number) => {
  const dynamodb = new DynamoDBClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  injectWriteFaults(dynamodb, 0.5, () => draw);
  return dynamodb;
};
const put = new PutItemCommand({ TableName: 't', Item: { K: { S: 'k' } } });

describe('the DynamoDB write fault switch', () => {
  it('reads the rate from 0 to 1 and refuses anything else', () => {
    expect(faultRate(undefined)).toBe(0);
    expect(faultRate('')).toBe(0);
    expect(faultRate('0.2')).toBe(0.2);
    for (const bad of ['-0.1', '1.5', 'often']) expect(() => faultRate(bad)).toThrow(/FAULT_DYNAMODB_WRITE_RATE/);
  });

  it('fails a write before it is sent: nothing reaches DynamoDB', async () => {
    received = [];
    await expect(client(0.1).send(put)).rejects.toMatchObject({
      name: 'InternalServerError',
      message: /before the request was sent/,
      $metadata: { httpStatusCode: 500 },
    });
    expect(received).toEqual([]);
  });

  it('fails a write after it succeeded: it reached DynamoDB once (no SDK retry), the caller sees an error', async () => {
    received = [];
    await expect(client(0.4).send(put)).rejects.toMatchObject({ message: /after the write took effect/ });
    expect(received).toEqual(['DynamoDB_20120810.PutItem']);
  });

  it('lets the other writes and all reads through', async () => {
    received = [];
    await client(0.6).send(put);
    await client(0.1).send(new GetItemCommand({ TableName: 't', Key: { K: { S: 'k' } } }));
    expect(received).toEqual(['DynamoDB_20120810.PutItem', 'DynamoDB_20120810.GetItem']);
  });
});
