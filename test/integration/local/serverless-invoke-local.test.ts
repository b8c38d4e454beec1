import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localCloud } from '../../support/cloud.ts';

// `serverless invoke local`, the Serverless Framework user's habit, runs a function on the local cloud
// (deploy/invoke-local-cloud.cjs). LOCAL_ENDPOINTS_FILE points it at the test cloud.
const serviceDir = resolve(import.meta.dirname, '../../..');

function serverless(
  args: string[],
  endpointsFile: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(
      join(serviceDir, 'node_modules', '.bin', 'node'),
      [join(serviceDir, 'node_modules', 'osls', 'bin', 'serverless.js'), ...args],
      {
        cwd: serviceDir,
        env: { ...process.env, LOCAL_ENDPOINTS_FILE: endpointsFile },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('serverless invoke local', () => {
  it('runs the function on the running local cloud and prints its result', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'endpoints-')), 'endpoints.json');
    writeFileSync(file, JSON.stringify(localCloud().endpoints));
    const { code, stdout, stderr } = await serverless(
      ['invoke', 'local', '-f', 'getResults', '-p', 'events/getResults.json', '--stage', 'test'],
      file,
    );
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ candidates: expect.any(Array), total: expect.any(Number) });
  }, 180_000);

  it('says to start the local cloud when none is running', async () => {
    const { code, stderr } = await serverless(
      ['invoke', 'local', '-f', 'getResults', '-d', '{}'],
      join(tmpdir(), 'no-such-endpoints.json'),
    );
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/start it with `npm start`/);
  }, 180_000);
});
