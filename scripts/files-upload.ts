// `npm run files:upload -- <file-or-folder> [more...] [--prefix P] [--endpoint URL] [--bucket NAME]`
// Uploads Markdown files (.md, .markdown; folders recursively) to the input bucket of the running local
// cloud, where the file pipeline turns each into html/… and text/… in the output bucket. The S3 endpoint
// comes from .local/endpoints.json; the bucket is the one named <stack>-input-<account>-<region>.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ListBucketsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { keepAliveHandler } from '../src/adapters/http-handler.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '@refarch/local-cloud';
import { endpointsFile, fail, readEndpoints } from './lib/local-cloud.ts';
import { planUploads } from './lib/markdown-files.ts';
import type { PlannedUpload } from './lib/markdown-files.ts';

const USAGE = 'usage: npm run files:upload -- <file-or-folder> [more...] [--prefix P] [--endpoint URL] [--bucket NAME]';
const CONCURRENCY = 8;
const CONTENT_TYPE = 'text/markdown; charset=utf-8';

const { values, positionals } = parseArguments();
if (positionals.length === 0) fail(USAGE);
const endpoints = readEndpoints();
const endpoint =
  values.endpoint ??
  endpoints?.s3 ??
  fail(`no S3 endpoint: ${endpointsFile} is missing — is \`npm start\` running? (or pass --endpoint)`);
const plan = await planUploads(positionals, values.prefix).catch((error: Error) => fail(error.message));
const s3 = new S3Client({
  region: LOCAL_REGION,
  endpoint,
  credentials: LOCAL_CREDENTIALS,
  forcePathStyle: true,
  requestHandler: keepAliveHandler(),
});
const bucket = values.bucket ?? (await findInputBucket(s3, endpoint));
const outcomes = await uploadAll(plan.uploads, (upload) => uploadOne(s3, bucket, upload));
s3.destroy();

const uploaded = outcomes.filter((o) => o.ok);
const failed = outcomes.length - uploaded.length;
const bytes = uploaded.reduce((sum, o) => sum + o.bytes, 0);
console.log(
  `\n${uploaded.length} uploaded (${bytes} bytes) to ${bucket}, ${plan.skipped.length} skipped (not Markdown), ${failed} failed`,
);
// The console of this cloud only: endpoints.json may describe another one than --endpoint.
if (endpoints?.console && endpoints.s3 === endpoint)
  console.log(
    `Derivatives (html/…, text/…) appear in the Buckets panel: ${endpoints.console}/console.html#buckets-title`,
  );
else
  console.log(
    "Derivatives (html/…, text/…) appear in the Buckets panel of the local cloud's pipeline console (/console.html).",
  );
if (failed > 0) process.exitCode = 1;

function parseArguments() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { prefix: { type: 'string' }, endpoint: { type: 'string' }, bucket: { type: 'string' } },
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n${USAGE}`);
  }
}

/** The one bucket named like <stack>-input-<12-digit account>-<region>. */
async function findInputBucket(client: S3Client, url: string): Promise<string> {
  const listed = await client
    .send(new ListBucketsCommand({}))
    .catch((error: Error) => fail(`cannot list the buckets at ${url} (${error.message}): is \`npm start\` running?`));
  const names = (listed.Buckets ?? []).map((b) => b.Name ?? '').filter((name) => /-input-\d{12}-/.test(name));
  if (names.length === 1) return names[0]!;
  return fail(
    names.length === 0
      ? `no input bucket (*-input-<account>-<region>) at ${url}`
      : `several input buckets (${names.join(', ')}): pass --bucket`,
  );
}

type Outcome = { ok: true; bytes: number } | { ok: false };

async function uploadOne(client: S3Client, bucketName: string, { path, key }: PlannedUpload): Promise<Outcome> {
  try {
    const body = await readFile(path);
    await client.send(new PutObjectCommand({ Bucket: bucketName, Key: key, Body: body, ContentType: CONTENT_TYPE }));
    console.log(`${key}  (${body.byteLength} bytes)`);
    return { ok: true, bytes: body.byteLength };
  } catch (error) {
    console.error(`FAILED ${key} (${path}): ${(error as Error).message}`);
    return { ok: false };
  }
}

/** Runs `upload` on every file, at most CONCURRENCY at a time; outcomes in the files' order. */
async function uploadAll(
  uploads: PlannedUpload[],
  upload: (file: PlannedUpload) => Promise<Outcome>,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < uploads.length) {
      const index = next++;
      outcomes[index] = await upload(uploads[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, uploads.length) }, worker));
  return outcomes;
}
