/**
 * Publishes web/ after `serverless deploy`: reads the stack outputs, uploads the pages to the private web
 * bucket (served through CloudFront), writes config.js pointing the pages at the API on their own origin and
 * the hosted UI sign-in (web/sign-in.js), and prints the page URL.
 * Usage: node scripts/deploy-web.ts [--stage dev] [--region us-east-1]
 */
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

export interface WebObject {
  key: string;
  body: Buffer | string;
  contentType: string;
  cacheControl: string;
}

const WEB_DIR = resolve(import.meta.dirname, '..', 'web');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/** The console needs the local cloud, and .d.ts files only type the unit tests: neither is published. */
const isPublished = (name: string) => !name.startsWith('console.') && !name.endsWith('.d.ts') && name !== 'config.js';

/**
 * Asset names carry no content hash, so nothing may be cached for long: pages and config revalidate every
 * time, scripts and styles for five minutes (a deploy is visible everywhere within that).
 */
function cacheControlOf(key: string): string {
  return key.endsWith('.html') || key === 'config.js' ? 'no-cache' : 'public, max-age=300';
}

/** Where the pages sign in: the user pool's hosted UI, its app client, and the pages' own URL (the redirect target). */
export interface HostedSignIn {
  domain: string;
  clientId: string;
  pagesUrl: string;
}

/**
 * Every object to upload: the published files of web/ plus a config.js pointing the pages at `apiUrl` ('' = their
 * own origin), the sign-in and the results WebSocket API (`resultsSocketUrl`, '' = the results page polls).
 */
export async function planUploads(
  apiUrl: string,
  signIn: HostedSignIn,
  webDir = WEB_DIR,
  resultsSocketUrl = '',
): Promise<WebObject[]> {
  const entries = await readdir(webDir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && isPublished(e.name) && CONTENT_TYPES[extname(e.name)]);
  const objects = await Promise.all(
    files.map(async (file) => {
      const key = relative(webDir, join(file.parentPath, file.name)).split(sep).join('/');
      return {
        key,
        body: await readFile(join(file.parentPath, file.name)),
        contentType: CONTENT_TYPES[extname(file.name)]!,
        cacheControl: cacheControlOf(key),
      };
    }),
  );
  const trim = (url: string) => url.replace(/\/+$/, '');
  const auth = {
    mode: 'hosted',
    domain: trim(signIn.domain),
    clientId: signIn.clientId,
    pagesUrl: trim(signIn.pagesUrl),
  };
  const config = `window.REFARCH_CONFIG = ${JSON.stringify({ apiUrl: trim(apiUrl), auth, ...(resultsSocketUrl ? { resultsSocketUrl } : {}) })};\n`;
  return [
    ...objects,
    { key: 'config.js', body: config, contentType: CONTENT_TYPES['.js']!, cacheControl: cacheControlOf('config.js') },
  ];
}

async function stackOutputs(stackName: string, region: string): Promise<Record<string, string>> {
  const { Stacks: [stack] = [] } = await new CloudFormationClient({ region }).send(
    new DescribeStacksCommand({ StackName: stackName }),
  );
  if (!stack) throw new Error(`stack ${stackName} not found in ${region}`);
  return Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
}

function requireOutput(outputs: Record<string, string>, name: string): string {
  const value = outputs[name];
  if (!value) throw new Error(`stack output ${name} is missing; was the stack deployed from this serverless.yml?`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { stage: { type: 'string', default: 'dev' }, region: { type: 'string' } } });
  const region = values.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const outputs = await stackOutputs(`refarch-${values.stage}`, region);
  const bucket = requireOutput(outputs, 'WebBucketName');
  // The distribution routes the API's paths to the HTTP API (infra/shared/web.yml): the pages call it on their
  // own origin, behind the web ACL, without CORS.
  const objects = await planUploads(
    '',
    {
      domain: requireOutput(outputs, 'NotesUserPoolDomainUrl'),
      clientId: requireOutput(outputs, 'NotesUserPoolClientId'),
      pagesUrl: requireOutput(outputs, 'WebUrl'),
    },
    undefined,
    requireOutput(outputs, 'ResultsWebSocketUrl'),
  );
  const s3 = new S3Client({ region });
  await Promise.all(
    objects.map((o) =>
      s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: o.key,
          Body: o.body,
          ContentType: o.contentType,
          CacheControl: o.cacheControl,
        }),
      ),
    ),
  );
  console.log(`Uploaded ${objects.length} files to s3://${bucket}`);
  console.log(`Results page: ${requireOutput(outputs, 'WebUrl')}/results.html`);
}

if (import.meta.main) await main();
