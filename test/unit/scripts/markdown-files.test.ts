import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isMarkdown, planUploads, withPrefix } from '../../../scripts/lib/markdown-files.ts';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temp folder `<tmp>/docs` holding the given files (path -> content). */
function docsFolder(files: Record<string, string>): string {
  const base = mkdtempSync(join(tmpdir(), 'files-upload-'));
  made.push(base);
  const docs = join(base, 'docs');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(docs, path, '..'), { recursive: true });
    writeFileSync(join(docs, path), content);
  }
  return docs;
}

describe('files:upload plan', () => {
  it('recognises .md and .markdown in any case, nothing else', () => {
    expect(['a.md', 'B.MD', 'c.Markdown', 'd.markdown'].every(isMarkdown)).toBe(true);
    expect(['a.txt', 'md', 'a.md.bak', 'a.mdx', 'notes.markdow'].some(isMarkdown)).toBe(false);
  });

  it('keys a folder as <folder name>/<path inside it>, recursively, and skips what is not Markdown', async () => {
    const docs = docsFolder({ 'a.md': '# A', 'sub/deeper/b.MARKDOWN': '# B', 'notes.txt': 'x', 'sub/img.png': 'x' });
    const plan = await planUploads([docs]);
    expect(plan.uploads.map((u) => u.key)).toEqual(['docs/a.md', 'docs/sub/deeper/b.MARKDOWN']);
    expect(plan.uploads[0]!.path).toBe(join(docs, 'a.md'));
    expect(plan.skipped.sort()).toEqual([join(docs, 'notes.txt'), join(docs, 'sub/img.png')]);
  });

  it('keys a single file by its base name, under the prefix', async () => {
    const docs = docsFolder({ 'deep/x.md': '# X' });
    const plan = await planUploads([join(docs, 'deep/x.md')], 'batch-1');
    expect(plan.uploads.map((u) => u.key)).toEqual(['batch-1/x.md']);
  });

  it('joins prefixes with one slash', () => {
    expect(withPrefix(undefined, 'a.md')).toBe('a.md');
    expect(withPrefix('', 'a.md')).toBe('a.md');
    expect(withPrefix('p', 'a.md')).toBe('p/a.md');
    expect(withPrefix('/p/q/', 'a.md')).toBe('p/q/a.md');
  });

  it('skips symbolic links inside a folder instead of following them', async () => {
    const docs = docsFolder({ 'a.md': '# A' });
    symlinkSync(join(docs, 'a.md'), join(docs, 'link.md'));
    const plan = await planUploads([docs]);
    expect(plan.uploads.map((u) => u.key)).toEqual(['docs/a.md']);
    expect(plan.skipped).toEqual([join(docs, 'link.md')]);
  });

  it('refuses two sources that would upload under one key', async () => {
    const first = docsFolder({ 'same.md': '# 1' });
    const second = docsFolder({ 'same.md': '# 2' });
    await expect(planUploads([join(first, 'same.md'), join(second, 'same.md')])).rejects.toThrow(
      /both upload as same\.md/,
    );
  });

  it('reports a source that does not exist', async () => {
    await expect(planUploads([join(tmpdir(), 'no-such-folder-for-files-upload')])).rejects.toThrow(/ENOENT/);
  });
});
