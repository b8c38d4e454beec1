import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { keepAliveHandler } from './http-handler.ts';
import { traced } from './tracing.ts';

let client: S3Client | undefined;

/** The one S3 client of this function instance, created on first use (endpoint from AWS_ENDPOINT_URL_S3). */
export function s3(): S3Client {
  client ??= traced(new S3Client({ requestHandler: keepAliveHandler() }));
  return client;
}

/** Which version of an object something was made from. */
export interface ObjectVersion {
  eTag: string;
  versionId?: string;
  size: number;
}

export type SourceObject =
  | { kind: 'missing' }
  | { kind: 'too-large'; version: ObjectVersion }
  | { kind: 'found'; version: ObjectVersion; bytes: Uint8Array };

/**
 * The current object at a key. Its body is read only when it is at most `maxBytes`: a larger one is
 * answered from its headers without downloading it.
 */
export async function readObject(bucket: string, key: string, maxBytes: number): Promise<SourceObject> {
  try {
    const output = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const version = {
      eTag: output.ETag ?? '',
      size: output.ContentLength ?? 0,
      ...(output.VersionId ? { versionId: output.VersionId } : {}),
    };
    if (version.size > maxBytes) {
      output.Body?.transformToWebStream()
        .cancel()
        .catch(() => undefined);
      return { kind: 'too-large', version };
    }
    return { kind: 'found', version, bytes: await output.Body!.transformToByteArray() };
  } catch (error) {
    if (isNotFound(error)) return { kind: 'missing' };
    throw error;
  }
}

/** The current version of an object, or undefined when there is none. */
export async function currentVersion(bucket: string, key: string): Promise<ObjectVersion | undefined> {
  try {
    const output = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return {
      eTag: output.ETag ?? '',
      size: output.ContentLength ?? 0,
      ...(output.VersionId ? { versionId: output.VersionId } : {}),
    };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Text, or bytes (e.g. gzip) with their encoding, with a content type and optional metadata. */
export async function writeObject(
  bucket: string,
  key: string,
  body: string | Uint8Array,
  options: { contentType: string; contentEncoding?: string; metadata?: Record<string, string> },
): Promise<void> {
  await s3().send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      ContentType: options.contentType,
      ContentEncoding: options.contentEncoding,
      Metadata: options.metadata,
    }),
  );
}

/** Deleting a key that is not there succeeds, as in S3. */
export async function deleteObject(bucket: string, key: string): Promise<void> {
  await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}

function isNotFound(error: unknown): boolean {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === 'NoSuchKey' || name === 'NotFound' || $metadata?.httpStatusCode === 404;
}
