import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes a file only its owner may read (0600): the local cloud's files with secrets in them
 * (endpoints.json with the Redis password, secrets.json, the JWT signing key). A file that existed
 * with wider permissions is narrowed before the new content is written into it.
 */
export function writePrivateFile(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true });
  narrowToOwner(file);
  writeFileSync(file, content, { mode: 0o600 });
  chmodSync(file, 0o600); // the mode above only applies to a new file, and the umask may narrow it further only
}

/** Makes an existing file readable and writable by its owner only. */
export function narrowToOwner(file: string): void {
  if (existsSync(file)) chmodSync(file, 0o600);
}
