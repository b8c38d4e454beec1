/**
 * Photo uploads: which files a client may upload and where they go. The client asks for an upload of a
 * declared type and size; the presigned URL then signs exactly those, so S3 refuses anything else.
 */

import { err, type Result } from '../result.ts';

/** The image types a photo may have, with the file extension its key gets. */
export const PHOTO_TYPES: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'image/heif': 'heif',
};

/** How long a presigned upload URL stays valid. */
export const UPLOAD_URL_TTL_SECONDS = 300;

export interface PhotoUpload {
  contentType: string;
  size: number;
  key: string;
}

export type PhotoUploadProblem =
  | { kind: 'unsupported-type'; message: string; accepted: string[] }
  | { kind: 'bad-size'; message: string; maxBytes: number }
  | { kind: 'bad-owner'; message: string };

export type PhotoUploadDecision = Result<PhotoUpload, PhotoUploadProblem>;

export interface PhotoUploadRequest {
  contentType: string;
  size: number;
  /** The owner's stable id (the token's `sub`), which becomes a key segment. */
  owner: string;
  /** A fresh unique id for the object (passed in: no randomness here). */
  photoId: string;
}

// Cognito subs are UUIDs; anything that could leave its key segment (`/`, `..`) is refused.
const OWNER_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Decides an upload: the type must be one of PHOTO_TYPES (compared case-insensitively, without
 * parameters), the size a whole number of bytes from 1 to `maxBytes`. The key is
 * `photos/<owner>/<photoId>.<ext>`, so an owner's photos share a prefix and never collide.
 */
export function decidePhotoUpload(request: PhotoUploadRequest, maxBytes: number): PhotoUploadDecision {
  const contentType = request.contentType.split(';')[0]!.trim().toLowerCase();
  const extension = Object.hasOwn(PHOTO_TYPES, contentType) ? PHOTO_TYPES[contentType] : undefined;
  if (!extension) {
    const accepted = Object.keys(PHOTO_TYPES);
    return err<PhotoUploadProblem>({
      kind: 'unsupported-type',
      message: `contentType must be one of ${accepted.join(', ')}`,
      accepted,
    });
  }
  if (!Number.isSafeInteger(request.size) || request.size < 1 || request.size > maxBytes) {
    return err<PhotoUploadProblem>({
      kind: 'bad-size',
      message: `size must be a whole number of bytes from 1 to ${maxBytes}`,
      maxBytes,
    });
  }
  if (!OWNER_PATTERN.test(request.owner))
    return err<PhotoUploadProblem>({ kind: 'bad-owner', message: 'the caller has no usable user id' });
  if (!OWNER_PATTERN.test(request.photoId))
    throw new Error(`photo id ${JSON.stringify(request.photoId)} is not a key segment`);
  return {
    ok: true,
    value: { contentType, size: request.size, key: `photos/${request.owner}/${request.photoId}.${extension}` },
  };
}

/** When a URL signed at `nowMs` stops working. */
export function uploadExpiry(nowMs: number): Date {
  return new Date(nowMs + UPLOAD_URL_TTL_SECONDS * 1000);
}
