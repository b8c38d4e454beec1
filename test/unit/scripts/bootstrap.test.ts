import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { javaMajor, nodeModulesState, plan, type Facts } from '../../../scripts/bootstrap.mjs';

const everything = { java: true, 'redis-server': true, chromium: true };
const facts = (overrides: Partial<Facts>): Facts => ({
  task: 'start',
  nodeModules: 'fresh',
  have: everything,
  root: true,
  aptGet: true,
  ...overrides,
});

describe('bootstrap plan: what is missing -> what it does', () => {
  it('hands over at once when nothing is missing', () => {
    expect(plan(facts({}))).toEqual({ apt: [], npmCi: false });
    expect(plan(facts({ task: 'test' }))).toEqual({ apt: [], npmCi: false });
  });

  it('runs npm ci when node_modules is missing or stale, as any user', () => {
    expect(plan(facts({ nodeModules: 'missing', root: false }))).toEqual({ apt: [], npmCi: true });
    expect(plan(facts({ nodeModules: 'stale' }))).toEqual({ apt: [], npmCi: true });
  });

  it('installs the packages the command needs with apt-get when root: chromium only for the tests', () => {
    const none = { java: false, 'redis-server': false, chromium: false };
    expect(plan(facts({ have: none, nodeModules: 'missing' }))).toEqual({
      apt: ['openjdk-17-jdk-headless', 'redis-server'],
      npmCi: true,
    });
    expect(plan(facts({ task: 'test', have: none }))).toEqual({
      apt: ['openjdk-17-jdk-headless', 'redis-server', 'chromium'],
      npmCi: false,
    });
    expect(plan(facts({ task: 'test', have: { ...everything, chromium: false } })).apt).toEqual(['chromium']);
  });

  it('needs no redis-server for npm start when REDIS_URL names a Redis, but does for the tests', () => {
    const noRedis = { ...everything, 'redis-server': false };
    expect(plan(facts({ have: noRedis, redisUrl: 'redis://127.0.0.1:6379', root: false }))).toEqual({
      apt: [],
      npmCi: false,
    });
    expect(plan(facts({ task: 'test', have: noRedis, redisUrl: 'redis://127.0.0.1:6379' })).apt).toEqual([
      'redis-server',
    ]);
  });

  it('as a non-root user, prints the one apt-get command and installs nothing', () => {
    const decision = plan(
      facts({ have: { ...everything, java: false, 'redis-server': false }, nodeModules: 'missing', root: false }),
    );
    expect(decision.apt).toEqual([]);
    expect(decision.npmCi).toBe(false);
    expect(decision.refuse).toContain(
      'sudo apt-get update && sudo apt-get install -y --no-install-recommends openjdk-17-jdk-headless redis-server\n',
    );
    expect(decision.refuse).toContain('run npm start again');
  });

  it('without apt-get, names the packages for another package manager', () => {
    const decision = plan(facts({ task: 'test', have: { ...everything, chromium: false }, aptGet: false }));
    expect(decision.refuse).toMatch(/No apt-get here.*chromium/s);
    expect(decision.refuse).not.toContain('sudo');
  });
});

describe('node_modules state', () => {
  const lock = (packages: Record<string, object>) =>
    JSON.stringify({ lockfileVersion: 3, packages: { '': { name: 'x' }, ...packages } });
  const installed = (packages: Record<string, object>) => JSON.stringify({ lockfileVersion: 3, packages });
  const a = { version: '1.0.0', integrity: 'sha512-a' };
  const optional = { version: '2.0.0', optional: true };

  it("is missing without npm's record of an install", () => {
    expect(nodeModulesState(lock({ 'node_modules/a': a }), undefined)).toBe('missing');
  });

  it("is fresh when the install matches the lockfile, other platforms' optional packages left out", () => {
    expect(
      nodeModulesState(
        lock({ 'node_modules/a': a, 'node_modules/@esbuild/darwin-arm64': optional }),
        installed({ 'node_modules/a': a }),
      ),
    ).toBe('fresh');
  });

  it('is stale when a version changed, a package was added or one was removed', () => {
    expect(
      nodeModulesState(lock({ 'node_modules/a': { ...a, version: '1.1.0' } }), installed({ 'node_modules/a': a })),
    ).toBe('stale');
    expect(
      nodeModulesState(lock({ 'node_modules/a': a, 'node_modules/b': a }), installed({ 'node_modules/a': a })),
    ).toBe('stale');
    expect(nodeModulesState(lock({}), installed({ 'node_modules/a': a }))).toBe('stale');
  });

  it("reads Java's major version in both numbering schemes", () => {
    expect(javaMajor('openjdk version "17.0.13" 2024-10-15\nOpenJDK Runtime Environment')).toBe(17);
    expect(javaMajor('java version "1.8.0_402"')).toBe(8);
    expect(javaMajor('')).toBe(0);
  });
});

describe('bootstrap in a project where nothing is missing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bootstrap-'));
  const bin = join(dir, 'bin');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'scripts'));
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  mkdirSync(bin);
  copyFileSync(resolve(import.meta.dirname, '../../../scripts/bootstrap.mjs'), join(dir, 'scripts', 'bootstrap.mjs'));
  const packages = { 'node_modules/a': { version: '1.0.0' } };
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ packages: { '': {}, ...packages } }));
  writeFileSync(join(dir, 'node_modules', '.package-lock.json'), JSON.stringify({ packages }));
  symlinkSync(process.execPath, join(dir, 'node_modules', '.bin', 'node'));
  // The machine's programs, as far as the bootstrap looks at them; no apt-get and no npm on this PATH.
  const program = (name: string, script: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${script}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  program('java', 'echo \'openjdk version "17.0.13" 2024-10-15\' >&2');
  program('javac', 'exit 0');
  program('redis-server', 'exit 0');
  const bootstrap = (task: string, command: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [join(dir, 'scripts', 'bootstrap.mjs'), task, '--', ...command], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: bin, ...env },
    });

  it('only hands over to the command on the pinned node, with its arguments and exit code', () => {
    const result = bootstrap('start', [
      'node',
      '-e',
      'console.log(JSON.stringify([process.execPath, process.argv.slice(1)])); process.exit(3)',
      'a',
      '--stage',
      'x',
    ]);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([process.execPath, ['a', '--stage', 'x']]);
    expect(result.status).toBe(3);
  });

  it('passes a signal on to the command and exits as it does', () => {
    const result = bootstrap('start', [
      'node',
      '-e',
      'process.on("SIGTERM", () => { console.log("stopped cleanly"); process.exit(0); }); process.kill(process.ppid, "SIGTERM"); setTimeout(() => {}, 5000)',
    ]);
    expect(result.stdout).toBe('stopped cleanly\n');
    expect(result.status).toBe(0);
  });

  it('prints the apt-get command and runs nothing when a package is missing and it may not install', () => {
    program('apt-get', 'echo apt-get ran; exit 1');
    const result = bootstrap('test', ['node', '-e', 'console.log("ran")'], { BOOTSTRAP_PRINT_ONLY: '1' });
    rmSync(join(bin, 'apt-get'));
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium');
    expect(result.status).toBe(1);
  });
});
