import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

export interface CorpusFile {
  name: string;
  path: string;
  bytes: Uint8Array;
}

/**
 * Real-world Markdown nobody here wrote: every README*.md and *.markdown of the installed npm packages,
 * once per distinct content, in a stable order.
 */
export function markdownCorpus(root = resolve(import.meta.dirname, '..', 'node_modules')): CorpusFile[] {
  const seen = new Set<string>();
  const files: CorpusFile[] = [];
  for (const path of markdownFiles(root).sort()) {
    const bytes = readFileSync(path);
    const digest = createHash('sha256').update(bytes).digest('hex');
    if (bytes.length === 0 || seen.has(digest)) continue;
    seen.add(digest);
    files.push({ name: basename(path), path, bytes });
  }
  return files;
}

function markdownFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...markdownFiles(path));
    else if (entry.isFile() && (/^readme.*\.md$/i.test(entry.name) || /\.markdown$/i.test(entry.name)))
      found.push(path);
  }
  return found;
}
