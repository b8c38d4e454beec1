import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentMetadata } from '../domain/files/metadata.ts';
import { dynamoDb } from './dynamodb.ts';
import type { ObjectVersion } from './s3.ts';

// An item must stay under DynamoDB's 400 KB: long link and image lists are cut, their counts kept.
const MAX_LISTED = 500;

/** One item per source key in `Documents`: the metadata of the version it was made from. */
export async function putDocument(
  table: string,
  source: { bucket: string; key: string; version: ObjectVersion },
  metadata: DocumentMetadata,
  processedAt: Date,
): Promise<void> {
  await dynamoDb().send(
    new PutCommand({
      TableName: table,
      Item: {
        SourceKey: source.key,
        Bucket: source.bucket,
        ETag: source.version.eTag,
        VersionId: source.version.versionId,
        Size: source.version.size,
        Title: metadata.title ?? undefined,
        Outline: metadata.outline.slice(0, MAX_LISTED).map(({ level, text }) => ({ Level: level, Text: text })),
        WordCount: metadata.wordCount,
        ReadingTimeMinutes: metadata.readingTimeMinutes,
        Links: metadata.links.slice(0, MAX_LISTED).map(({ text, href }) => ({ Text: text, Href: href })),
        LinkCount: metadata.links.length,
        Images: metadata.images.slice(0, MAX_LISTED).map(({ alt, src }) => ({ Alt: alt, Src: src })),
        ImageCount: metadata.images.length,
        Sha256: metadata.sha256,
        ProcessedAt: processedAt.toISOString(),
      },
    }),
  );
}

export async function deleteDocument(table: string, key: string): Promise<void> {
  await dynamoDb().send(new DeleteCommand({ TableName: table, Key: { SourceKey: key } }));
}
