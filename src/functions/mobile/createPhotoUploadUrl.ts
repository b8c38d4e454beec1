import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { presignedPutUrl } from '../../adapters/photo-uploads.ts';
import { decidePhotoUpload, UPLOAD_URL_TTL_SECONDS, uploadExpiry } from '../../domain/mobile/photos.ts';
import { envConfig, positiveInt, string } from '../shared/config.ts';
import { HttpError, httpHandler, json, route } from '../shared/http.ts';
import { callerId } from '../shared/caller.ts';

const config = envConfig({ bucket: string('PHOTOS_BUCKET'), maxBytes: positiveInt('MAX_PHOTO_BYTES') });
const body = z.object({ contentType: z.string().min(1).max(255), size: z.number() });

/**
 * `POST /photos` `{contentType, size}` -> 201 `{uploadUrl, key, expiresAt, headers}`: the client PUTs the
 * image to `uploadUrl` with exactly `headers`, within 5 minutes. The photo lands under the caller's prefix.
 */
export const handler = httpHandler({
  'POST /photos': route({
    accepts: ['json'],
    body,
    handle: async ({ body: request, event }) => {
      const { bucket, maxBytes } = config();
      const decision = decidePhotoUpload({ ...request, owner: callerId(event), photoId: randomUUID() }, maxBytes);
      if (!decision.ok) {
        const problem = decision.reason;
        if (problem.kind === 'unsupported-type')
          throw new HttpError(415, 'unsupported_photo_type', problem.message, { accepted: problem.accepted });
        if (problem.kind === 'bad-size')
          throw new HttpError(400, 'invalid_photo_size', problem.message, { maxBytes: problem.maxBytes });
        throw new HttpError(401, 'unauthorized', problem.message);
      }
      const { key, contentType, size } = decision.value;
      // Signed at a whole second (as X-Amz-Date is), so expiresAt is exactly when S3 stops taking the URL.
      const signedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
      const uploadUrl = await presignedPutUrl({
        bucket,
        key,
        contentType,
        contentLength: size,
        signedAt,
        expiresInSeconds: UPLOAD_URL_TTL_SECONDS,
      });
      const expiresAt = uploadExpiry(signedAt.getTime());
      return json(
        201,
        {
          uploadUrl,
          key,
          expiresAt: expiresAt.toISOString(),
          headers: { 'Content-Type': contentType, 'Content-Length': String(size) },
        },
        { 'Cache-Control': 'no-store' },
      );
    },
  }),
});
