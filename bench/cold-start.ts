import { execFile as execFileCallback, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { stage, type Stage } from '../scripts/lib/progress.ts';
import { formatRatio, interleave, spread, type VariantResult } from './lib/interleave.ts';

const execFile = promisify(execFileCallback);
const serviceDir = resolve(import.meta.dirname, '..');
const workDir = join(serviceDir, '.local', 'bench-cold-start');
const loader = join(import.meta.dirname, 'lib', 'load-module.ts');

/** One packaged function as the bench loads it, beside its SDK-only floor. */
interface Subject {
  name: string;
  bundleFile: string;
  bundleBytes: number;
  mapInZip: boolean;
  nodeOptions: string;
  floorFile: string;
  floorBytes: number;
  sdkPackages: string[];
}

/**
 * Cold start of every packaged function: its bundle (unzipped from `npm run package`) loaded in a fresh
 * Node process with the function's NODE_OPTIONS, against an SDK-only floor — a bundle built with the
 * same esbuild options whose entry only imports and constructs the AWS SDK clients the function's bundle
 * holds. Bundle and floor run interleaved, `--rounds` times; the ratio is per round, then its median.
 * `--reuse` takes .serverless/ as it is (no packaging); `--only a,b` limits the functions; `--analyze`
 * prints the largest packages of each bundle (esbuild metafile).
 */
export async function run(args: string[], progress: Stage = stage()): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      rounds: { type: 'string', default: '7' },
      reuse: { type: 'boolean', default: false },
      only: { type: 'string' },
      analyze: { type: 'boolean', default: false },
    },
  });
  if (!values.reuse || !existsSync(join(serviceDir, '.serverless', 'serverless-state.json'))) {
    progress.set('npm run package');
    await execFile('npm', ['run', '-s', 'package'], { cwd: serviceDir, maxBuffer: 64 * 1024 * 1024 });
  }
  const state = JSON.parse(
    readFileSync(join(serviceDir, '.serverless', 'serverless-state.json'), 'utf8'),
  ) as ServerlessState;
  const only = values.only?.split(',');
  const names = Object.keys(state.service.functions).filter((name) => !only || only.includes(name));
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  // As in a Lambda zip (no package.json): .js is CommonJS, not this repository's "type": "module".
  writeFileSync(join(workDir, 'package.json'), '{"type":"commonjs"}\n');
  const subjects: Subject[] = [];
  for (const name of names) {
    progress.set(`unzipping and building the floor of ${name}`);
    subjects.push(await prepare(state, name, values.analyze));
  }
  const rows: Record<string, Record<string, string | number | boolean>> = {};
  for (const [index, subject] of subjects.entries()) {
    progress.set(`${subject.name} (${index + 1} of ${subjects.length}): rounds`, Number(values.rounds));
    const processMs = { floor: [] as number[], bundle: [] as number[] };
    const [floor, bundle] = await interleave(
      [
        { name: 'floor', measure: () => loadOnce(subject.floorFile, '', processMs.floor) },
        { name: 'bundle', measure: () => loadOnce(subject.bundleFile, subject.nodeOptions, processMs.bundle) },
      ],
      { rounds: Number(values.rounds), onSample: (variant, round) => variant === 'bundle' && progress.done(round + 1) },
    );
    rows[subject.name] = {
      ...row(subject, floor!, bundle!),
      'process ms (bundle/floor)': `${Math.round(spread(processMs.bundle).median)}/${Math.round(spread(processMs.floor).median)}`,
    };
    // Each function's row as soon as it is measured (a full run takes a while on a busy machine).
    console.error(`  ${subject.name}: ${JSON.stringify(rows[subject.name])}`);
  }
  console.log(
    `\ncold start: load of each packaged handler in a fresh Node ${process.version} process vs its SDK-only floor, ${values.rounds} interleaved rounds\n`,
  );
  console.table(rows);
  console.log(
    'bundle/floor ms: require/import of the module alone (median); process ms: spawn to exit (median); ratio: bundle/floor per round, median (IQR, min–max). Goal ≤ 1.3×.',
  );
}

function row(subject: Subject, floor: VariantResult, bundle: VariantResult) {
  return {
    'SDK clients': subject.sdkPackages.map((name) => name.replace('@aws-sdk/', '')).join(' '),
    'bundle KB': Math.round(subject.bundleBytes / 1024),
    'floor KB': Math.round(subject.floorBytes / 1024),
    'map in zip': subject.mapInZip,
    'map loaded': /--enable-source-maps/.test(subject.nodeOptions),
    'bundle ms': Math.round(bundle.value.median),
    'floor ms': Math.round(floor.value.median),
    ratio: formatRatio(bundle.ratio),
  };
}

/**
 * Loads `file` in a fresh Node process (this one's Node 24); returns the time the load took inside it, and
 * adds the whole process's time (start to exit) to `processMs`.
 */
async function loadOnce(file: string, nodeOptions: string, processMs: number[]): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [loader, file], {
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let [output, errors] = ['', ''];
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-2_000);
  });
  const code = await new Promise<number | null>((done) => child.on('close', done));
  if (code !== 0) throw new Error(`loading ${file} failed (exit ${code}): …${errors.slice(-500)}`);
  processMs.push(performance.now() - started);
  return (JSON.parse(output) as { loadMs: number }).loadMs;
}

/** Unzips the function's artifact, finds its handler module and builds its floor. */
async function prepare(state: ServerlessState, name: string, analyze: boolean): Promise<Subject> {
  const fn = state.service.functions[name]!;
  const dir = join(workDir, name);
  mkdirSync(dir, { recursive: true });
  const artifact = resolve(serviceDir, fn.package?.artifact ?? join('.serverless', `${name}.zip`));
  await execFile('unzip', ['-q', '-o', artifact, '-d', join(dir, 'bundle')]);
  const { stdout: listing } = await execFile('unzip', ['-Z1', artifact]);
  const base = join(dir, 'bundle', fn.handler.slice(0, fn.handler.lastIndexOf('.')));
  const bundleFile = ['.js', '.mjs', '.cjs'].map((ext) => base + ext).find((file) => existsSync(file));
  if (!bundleFile) throw new Error(`${name}: no module for handler ${fn.handler} in ${artifact}`);
  const options = esbuildOptions(state);
  const sourceEntry = join(serviceDir, `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.ts`);
  const metafile = (
    await build({
      ...options,
      entryPoints: [sourceEntry],
      write: false,
      metafile: true,
      sourcemap: false,
      logLevel: 'error',
    })
  ).metafile;
  if (analyze) printLargest(name, metafile);
  const sdkPackages = sdkPackagesOf(metafile);
  const floorFile = join(dir, 'floor', `index${bundleFile.slice(bundleFile.lastIndexOf('.'))}`);
  await buildFloor(options, sdkPackages, join(dir, 'floor-entry.ts'), floorFile);
  const environment = { ...state.service.provider.environment, ...fn.environment };
  return {
    name,
    bundleFile,
    bundleBytes: statSync(bundleFile).size,
    mapInZip: /\.map$/m.test(listing),
    nodeOptions: typeof environment.NODE_OPTIONS === 'string' ? environment.NODE_OPTIONS : '',
    floorFile,
    floorBytes: statSync(floorFile).size,
    sdkPackages,
  };
}

/** The AWS SDK packages a bundle holds code of (clients, the document client, the presigner). */
function sdkPackagesOf(metafile: Metafile): string[] {
  const found = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /node_modules\/(@aws-sdk\/(?:client-[a-z0-9-]+|lib-dynamodb|s3-request-presigner))\//.exec(input);
    if (match) found.add(match[1]!);
  }
  return [...found].sort();
}

/** A module that imports each SDK package and constructs its client, bundled as the functions are. */
async function buildFloor(options: BuildOptions, sdkPackages: string[], entry: string, outfile: string): Promise<void> {
  const lines: string[] = [];
  for (const [index, name] of sdkPackages.entries()) {
    const exported = Object.keys((await import(name)) as object);
    if (name === '@aws-sdk/lib-dynamodb')
      lines.push(
        `import { DynamoDBDocumentClient as D${index} } from '${name}';`,
        `globalThis.floor${index} = (x) => D${index}.from(x);`,
      );
    else if (name === '@aws-sdk/s3-request-presigner')
      lines.push(`import { getSignedUrl as P${index} } from '${name}';`, `globalThis.floor${index} = P${index};`);
    else {
      const client = exported.find((key) => /^[A-Z]\w*Client$/.test(key) && key !== '__Client');
      lines.push(`import { ${client} as C${index} } from '${name}';`, `globalThis.floor${index} = new C${index}({});`);
    }
  }
  writeFileSync(entry, `${lines.join('\n')}\n`);
  await build({
    ...options,
    entryPoints: [entry],
    outfile,
    sourcemap: false,
    logLevel: 'error',
    nodePaths: [join(serviceDir, 'node_modules')],
  });
}

/** The esbuild options serverless-esbuild used (custom.esbuild), without the plugin's own keys. */
function esbuildOptions(state: ServerlessState): BuildOptions {
  const {
    exclude: _exclude,
    packager: _packager,
    keepOutputDirectory: _keep,
    outputFileExtension: _ext,
    config: _config,
    installExtraArgs: _install,
    ...options
  } = state.service.custom.esbuild as Record<string, unknown>;
  return options as BuildOptions;
}

function printLargest(name: string, metafile: Metafile): void {
  const bytes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = input.replace(/^.*node_modules\//, '').replace(/^(@[^/]+\/[^/]+|[^/]+).*$/, '$1');
      bytes.set(pkg, (bytes.get(pkg) ?? 0) + bytesInOutput);
    }
  }
  const largest = [...bytes]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([pkg, size]) => `${pkg} ${Math.round(size / 1024)} KB`);
  console.log(`${name}: ${largest.join(', ')}`);
}

interface ServerlessState {
  service: {
    provider: { environment?: Record<string, unknown> };
    custom: { esbuild: Record<string, unknown> };
    functions: Record<
      string,
      { handler: string; environment?: Record<string, unknown>; package?: { artifact?: string } }
    >;
  };
}
