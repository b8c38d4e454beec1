// `node bench/lib/kinesis-stand-in.ts (PORT from the environment)`: a Kinesis that accepts every PutRecords at once, so a
// benchmark measures the tracker rather than kinesis-mock. Answers the JSON 1.1 protocol the SDK
// speaks: one entry per record (SequenceNumber, ShardId) and FailedRecordCount 0. Loopback only.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

let sequence = 0n;

function putRecordsAnswer(body: string): string {
  const { Records = [] } = JSON.parse(body) as { Records?: unknown[] };
  const entries = Records.map(() => ({
    SequenceNumber: String((sequence += 1n)).padStart(56, '0'),
    ShardId: 'shardId-000000000000',
  }));
  return JSON.stringify({ FailedRecordCount: 0, Records: entries });
}

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const target = String(request.headers['x-amz-target'] ?? '');
    if (target !== 'Kinesis_20131202.PutRecords') {
      response.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.1' });
      response.end(
        JSON.stringify({
          __type: 'UnknownOperationException',
          message: `stand-in answers PutRecords only, not ${target}`,
        }),
      );
      return;
    }
    response.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1' });
    response.end(putRecordsAnswer(Buffer.concat(chunks).toString()));
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`kinesis stand-in listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
