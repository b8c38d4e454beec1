/** The media type of a Content-Type header, lower-cased and without parameters ("application/json"). */
export function mediaType(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type ? type : undefined;
}

/** The size in bytes of a request body as the client sent it (API Gateway base64-encodes binary bodies). */
export function bodyByteLength(body: string | undefined, isBase64Encoded: boolean | undefined): number {
  if (body === undefined || body === null) return 0;
  return Buffer.byteLength(body, isBase64Encoded ? 'base64' : 'utf8');
}

/** A request body as text (API Gateway base64-encodes some bodies); '' when there is none. */
export function bodyText(body: string | undefined, isBase64Encoded: boolean | undefined): string {
  if (body === undefined || body === null) return '';
  return isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
}
