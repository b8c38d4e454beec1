import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ProvisionedResource } from './model.ts';

/** A bucket of the stack: its logical id in the template and its physical name on the local S3. */
export interface StackBucket {
  logicalId: string;
  name: string;
}
export interface BucketObject {
  key: string;
  size: number;
  lastModified: string;
}
export interface BucketListing extends StackBucket {
  count: number;
  objects: BucketObject[];
}
export interface StoredObject {
  body: Uint8Array;
  contentType: string;
}

export interface BucketBrowser {
  /** Per bucket of the stack, its newest objects (newest first) and how many it holds. */
  list(): Promise<BucketListing[]>;
  /** One object of a bucket of the stack; undefined when the bucket is not the stack's or the key holds nothing. */
  read(bucket: string, key: string): Promise<StoredObject | undefined>;
}

const NEWEST_LIMIT = 100;

export function stackBuckets(resources: ProvisionedResource[]): StackBucket[] {
  return resources
    .filter((r) => r.type === 'AWS::S3::Bucket')
    .map((r) => ({ logicalId: r.logicalId, name: r.physicalId }));
}

/** What the pipeline console shows of the stack's buckets (and nothing of other buckets on the same S3). */
export function bucketBrowser(s3: S3Client, buckets: StackBucket[]): BucketBrowser {
  return {
    list: () =>
      Promise.all(
        buckets.map(async (bucket) => ({ ...bucket, ...(await newestObjects(s3, bucket.name, NEWEST_LIMIT)) })),
      ),
    read: async (bucket, key) => (buckets.some((b) => b.name === bucket) ? readObject(s3, bucket, key) : undefined),
  };
}

/** S3 lists in key order, so finding the newest means walking every page; only the newest `limit` are kept. */
async function newestObjects(
  s3: S3Client,
  bucket: string,
  limit: number,
): Promise<{ count: number; objects: BucketObject[] }> {
  let newest: BucketObject[] = [];
  let count = 0;
  let ContinuationToken: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken }));
    const objects = (page.Contents ?? []).map((o) => ({
      key: o.Key ?? '',
      size: o.Size ?? 0,
      lastModified: (o.LastModified ?? new Date(0)).toISOString(),
    }));
    count += objects.length;
    newest = [...newest, ...objects].sort(newestFirst).slice(0, limit);
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
  return { count, objects: newest };
}

/** Newest first; equal times by key, so the order does not flicker between refreshes. */
function newestFirst(a: BucketObject, b: BucketObject): number {
  return b.lastModified.localeCompare(a.lastModified) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

async function readObject(s3: S3Client, bucket: string, key: string): Promise<StoredObject | undefined> {
  try {
    const output = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return {
      body: await output.Body!.transformToByteArray(),
      contentType: output.ContentType ?? 'application/octet-stream',
    };
  } catch (error) {
    const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (name === 'NoSuchKey' || $metadata?.httpStatusCode === 404) return undefined;
    throw error;
  }
}
