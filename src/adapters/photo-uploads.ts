import { PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

let client: S3Client | undefined;

/**
 * The client that signs upload URLs (it sends no requests). It adds no checksum of its own: at signing
 * time there is no body, so a default CRC32 would be that of an empty body and S3 would refuse every upload.
 */
export function presigningClient(config: S3ClientConfig = {}): S3Client {
  if (Object.keys(config).length > 0) return new S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED', ...config });
  client ??= new S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED' });
  return client;
}

export interface UploadTarget {
  bucket: string;
  key: string;
  contentType: string;
  contentLength: number;
  signedAt: Date;
  expiresInSeconds: number;
}

/**
 * A presigned PUT URL for exactly this object: Content-Type and Content-Length are signed in, so S3
 * refuses an upload of another type or size (the presigner leaves Content-Type unsigned unless asked).
 */
export async function presignedPutUrl(target: UploadTarget, s3 = presigningClient()): Promise<string> {
  const command = new PutObjectCommand({
    Bucket: target.bucket,
    Key: target.key,
    ContentType: target.contentType,
    ContentLength: target.contentLength,
  });
  return getSignedUrl(s3, command, {
    signingDate: target.signedAt,
    expiresIn: target.expiresInSeconds,
    signableHeaders: new Set(['content-type', 'content-length']),
  });
}
