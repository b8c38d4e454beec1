import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localCloud, physicalId } from '../../support/cloud.ts';
import { readFile } from '../../support/files.ts';

const script = resolve(import.meta.dirname, '../../../scripts/files-upload.ts');
const folder = mkdtempSync(join(tmpdir(), 'files-upload-it-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Runs `npm run files:upload` the way npm does (the script on this Node), without blocking the test's event loop. */
function upload(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(process.execPath, [script, ...args], { encoding: 'utf8' }, (_error, stdout, stderr) =>
      done({ code: child.exitCode, stdout, stderr }),
    );
  });
}

describe('npm run files:upload', () => {
  it('uploads the Markdown files of a folder under <prefix>/<folder>/<path>, as Markdown, and skips the rest', async () => {
    const docs = join(folder, 'docs');
    mkdirSync(join(docs, 'guides'), { recursive: true });
    writeFileSync(join(docs, 'readme.md'), '# Read me\n');
    writeFileSync(join(docs, 'guides', 'Setup.MARKDOWN'), '# Setup\n\nSteps.\n');
    writeFileSync(join(docs, 'notes.txt'), 'not Markdown\n');
    const prefix = `upload-script-${process.pid}-${Date.now()}`;

    const result = await upload(
      docs,
      '--prefix',
      prefix,
      '--endpoint',
      localCloud().endpoints.s3,
      '--bucket',
      physicalId('InputBucket'),
    );

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/2 uploaded \(\d+ bytes\).*1 skipped/);
    const input = physicalId('InputBucket');
    expect(await readFile(input, `${prefix}/docs/readme.md`)).toMatchObject({
      body: '# Read me\n',
      contentType: 'text/markdown; charset=utf-8',
    });
    expect(await readFile(input, `${prefix}/docs/guides/Setup.MARKDOWN`)).toMatchObject({
      body: '# Setup\n\nSteps.\n',
    });
    expect(await readFile(input, `${prefix}/docs/notes.txt`)).toBeUndefined();
  });

  it('finds the input bucket by its name when none is given', async () => {
    const file = join(folder, 'single.md');
    writeFileSync(file, '# Single\n');
    const prefix = `upload-script-${process.pid}-${Date.now()}-found`;
    const result = await upload(file, '--prefix', prefix, '--endpoint', localCloud().endpoints.s3);
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(physicalId('InputBucket'), `${prefix}/single.md`)).toMatchObject({ body: '# Single\n' });
  });

  it('exits non-zero when uploads fail', async () => {
    const file = join(folder, 'lost.md');
    writeFileSync(file, '# Lost\n');
    const result = await upload(
      file,
      '--endpoint',
      localCloud().endpoints.s3,
      '--bucket',
      `no-such-bucket-${process.pid}`,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/FAILED lost\.md/);
  });
});
