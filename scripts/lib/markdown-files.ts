// Which local files `npm run files:upload` sends, and under which keys (scripts/files-upload.ts).
import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';

export interface PlannedUpload {
  path: string;
  key: string;
}
export interface UploadPlan {
  uploads: PlannedUpload[];
  skipped: string[];
}

/** The suffixes the input bucket notifies on; case-insensitive here so README.MD is not silently left out. */
export const isMarkdown = (name: string): boolean => /\.(md|markdown)$/i.test(name);

/** `--prefix P` puts every key under P/ (a prefix ending in / is used as it is). */
export function withPrefix(prefix: string | undefined, key: string): string {
  const trimmed = (prefix ?? '').replace(/^\/+/, '');
  if (!trimmed) return key;
  return trimmed.endsWith('/') ? `${trimmed}${key}` : `${trimmed}/${key}`;
}

/**
 * A file uploads under its base name; a folder `path/to/docs` under `docs/<path inside it>`, recursively.
 * Anything else than a regular Markdown file is skipped. Two sources landing on one key is an error:
 * one upload would silently replace the other.
 */
export async function planUploads(sources: string[], prefix?: string): Promise<UploadPlan> {
  const uploads: PlannedUpload[] = [];
  const skipped: string[] = [];
  for (const source of sources) {
    const root = resolve(source);
    const found = (await stat(root)).isDirectory()
      ? await filesUnder(root)
      : [{ path: root, key: basename(root), regular: true }];
    for (const file of found) {
      if (file.regular && isMarkdown(file.path)) uploads.push({ path: file.path, key: withPrefix(prefix, file.key) });
      else skipped.push(file.path);
    }
  }
  const duplicate = firstDuplicateKey(uploads);
  if (duplicate) throw new Error(`${duplicate[0]} and ${duplicate[1]} would both upload as ${duplicate[2]}`);
  return { uploads: uploads.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)), skipped };
}

async function filesUnder(root: string): Promise<Array<{ path: string; key: string; regular: boolean }>> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return {
        path,
        key: [basename(root), ...relative(root, path).split(sep)].filter(Boolean).join('/'),
        regular: entry.isFile(),
      };
    });
}

function firstDuplicateKey(uploads: PlannedUpload[]): [string, string, string] | undefined {
  const byKey = new Map<string, string>();
  for (const { path, key } of uploads) {
    const earlier = byKey.get(key);
    if (earlier) return [earlier, path, key];
    byKey.set(key, path);
  }
  return undefined;
}
