import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './net.ts';
import { createRuntime, type FunctionSpec, type LambdaRuntime } from './runtime/index.ts';
import { sourcesOf, watchSources, type SourceWatcher } from './watch.ts';
import { eventually } from '../test/support/eventually.ts';

// Watch mode and debugging of `npm start`, on real files, worker threads and fs.watch (no services).
let dir: string;
let runtime: LambdaRuntime | undefined;
let watcher: SourceWatcher | undefined;

function project(): string {
  dir = mkdtempSync(join(tmpdir(), 'watch-'));
  writeFileSync(join(dir, 'serverless.yml'), 'service: watched\n');
  writeFileSync(join(dir, 'greeting.ts'), "export const greeting = 'v1';\n");
  writeFileSync(join(dir, 'other.ts'), 'export const other = 1;\n');
  writeFileSync(
    join(dir, 'handler.ts'),
    "import { greeting } from './greeting.ts';\nexport const handler = async () => greeting;\n",
  );
  return dir;
}

function spec(overrides: Partial<FunctionSpec> = {}): FunctionSpec {
  return {
    name: 'hello',
    physicalName: 'watched-hello',
    arn: 'arn:aws:lambda:us-east-1:000000000000:function:watched-hello',
    handlerFile: join(dir, 'handler.ts'),
    handlerExport: 'handler',
    environment: {},
    timeoutSeconds: 5,
    memoryMb: 128,
    ...overrides,
  };
}

const startRuntime = (fn: FunctionSpec) =>
  (runtime = createRuntime({
    functions: [fn],
    baseEnvironment: {},
    sendToDestination: async () => {},
    onLog: () => {},
  }));

afterEach(async () => {
  watcher?.close();
  await runtime?.stop();
  runtime = undefined;
  watcher = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('sourcesOf', () => {
  it('lists the project files a handler imports, directly or not, and not the others', async () => {
    project();
    const sources = await sourcesOf(join(dir, 'handler.ts'), dir);
    expect([...sources].sort()).toEqual([join(dir, 'greeting.ts'), join(dir, 'handler.ts')]);
  });
});

describe('runtime.reload', () => {
  it('makes the next invocation run the changed code (a warm sandbox keeps what it loaded until then)', async () => {
    project();
    const rt = startRuntime(spec());
    expect(await rt.invoke('hello', {})).toMatchObject({ ok: true, payload: 'v1' });
    writeFileSync(join(dir, 'greeting.ts'), "export const greeting = 'v2';\n");
    expect(await rt.invoke('hello', {})).toMatchObject({ ok: true, payload: 'v1' }); // a warm sandbox keeps its code
    rt.reload('hello');
    expect(await rt.invoke('hello', {})).toMatchObject({ ok: true, payload: 'v2' });
    expect(rt.stats()[0]).toMatchObject({ coldStarts: 2, instances: 1 });
  }, 30_000);
});

describe('watchSources', () => {
  it('reloads a function when a file it imports changes, says so, and ignores files it does not import', async () => {
    project();
    const rt = startRuntime(spec());
    const lines: string[] = [];
    watcher = watchSources({
      serviceDir: dir,
      sourceDirs: ['.'],
      configFiles: ['serverless.yml'],
      targets: [{ name: 'hello', entry: join(dir, 'handler.ts'), reload: () => rt.reload('hello') }],
      onLine: (line) => lines.push(line),
    });
    await watcher.ready;
    expect(await rt.invoke('hello', {})).toMatchObject({ payload: 'v1' });
    writeFileSync(join(dir, 'other.ts'), 'export const other = 2;\n');
    writeFileSync(join(dir, 'greeting.ts'), "export const greeting = 'v2';\n");
    await eventually(() => expect(lines).toContain('reloaded hello'), { timeoutMs: 10_000 });
    expect(lines.filter((line) => line === 'reloaded hello')).toHaveLength(1);
    expect(await rt.invoke('hello', {})).toMatchObject({ payload: 'v2' });
  });

  it('says that a change to serverless.yml needs a restart', async () => {
    project();
    const lines: string[] = [];
    watcher = watchSources({
      serviceDir: dir,
      sourceDirs: [],
      configFiles: ['serverless.yml'],
      targets: [],
      onLine: (line) => lines.push(line),
    });
    await watcher.ready;
    writeFileSync(join(dir, 'serverless.yml'), 'service: watched\n# changed\n');
    await eventually(() => expect(lines.join('\n')).toMatch(/serverless\.yml changed: restart npm start/), {
      timeoutMs: 10_000,
    });
  });
});

describe('--inspect <function>', () => {
  it('opens a debugger on the loopback port in the warmed sandbox, which still serves invocations', async () => {
    project();
    const port = await freePort();
    const rt = startRuntime(spec({ inspectPort: port }));
    rt.warm('hello');
    await eventually(
      () =>
        new Promise<void>((resolve, reject) => {
          const socket = connect(port, '127.0.0.1', () => {
            socket.end();
            resolve();
          }).on('error', reject);
        }),
      { timeoutMs: 10_000 },
    );
    const listing = (await fetch(`http://127.0.0.1:${port}/json/list`).then((response) => response.json())) as Array<{
      webSocketDebuggerUrl: string;
    }>;
    expect(listing[0]?.webSocketDebuggerUrl).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:${port}/`));
    expect(await rt.invoke('hello', {})).toMatchObject({ ok: true, payload: 'v1' });
  });
});
