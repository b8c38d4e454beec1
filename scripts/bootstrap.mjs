// `npm start` and `npm test` run this first, on whatever Node runs npm (20 will do: plain JavaScript, no
// dependencies). It installs what a fresh machine lacks — the Debian packages with apt-get when root,
// node_modules with `npm ci` when absent or older than package-lock.json — then hands over to the real
// command on the pinned Node 24 (node_modules/.bin/node), with the arguments, signals and exit code.
//
//   node scripts/bootstrap.mjs <start|test> -- <command...>     (`node` as the command means the pinned Node 24)
//
// package.json runs it with `exec`: npm passes SIGINT/SIGTERM to its child, and dash (/bin/sh) would hold them.
// BOOTSTRAP_PRINT_ONLY=1 behaves as a non-root user: prints the apt-get command instead of running it.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { constants as os } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Debian package that provides each program, and which commands need it. */
const PACKAGES = {
  // A JDK, not only a JRE: DynamoDB Local is started through a loopback-only launcher compiled on first use.
  java: { apt: 'openjdk-17-jdk-headless', for: ['start', 'test'], why: 'a JDK 17+ (java, javac) for DynamoDB Local' },
  'redis-server': { apt: 'redis-server', for: ['start', 'test'], why: 'Redis (npm start can use REDIS_URL instead)' },
  chromium: { apt: 'chromium', for: ['test'], why: 'headless Chromium for the browser tests' },
};

/**
 * What to do before handing over, from plain facts about the machine.
 * @param {{ task: 'start' | 'test', nodeModules: 'fresh' | 'missing' | 'stale', have: Record<string, boolean>,
 *   redisUrl?: string, root: boolean, aptGet: boolean }} facts
 * @returns {{ apt: string[], npmCi: boolean, refuse?: string }}
 */
export function plan(facts) {
  const needed = Object.entries(PACKAGES).filter(
    ([program, pkg]) =>
      pkg.for.includes(facts.task) &&
      !facts.have[program] &&
      !(program === 'redis-server' && facts.task === 'start' && facts.redisUrl),
  );
  const apt = needed.map(([, pkg]) => pkg.apt);
  const npmCi = facts.nodeModules !== 'fresh';
  if (apt.length === 0 || (facts.root && facts.aptGet)) return { apt, npmCi };
  const list = needed.map(([program, pkg]) => `  - ${program}: ${pkg.why}`).join('\n');
  const refuse = facts.aptGet
    ? `npm ${facts.task} needs system packages:\n${list}\nInstall them with this command, then run npm ${facts.task} again:\n\n  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${apt.join(' ')}\n`
    : `npm ${facts.task} needs:\n${list}\nNo apt-get here: install them with your system's package manager (Debian/Ubuntu names: ${apt.join(' ')}), then run npm ${facts.task} again.\n`;
  return { apt: [], npmCi: false, refuse };
}

/**
 * 'fresh' when node_modules holds exactly what package-lock.json asks for: npm's record of what it installed
 * (node_modules/.package-lock.json) has the lockfile's entry for every package, lacking only optional
 * ones (other platforms' binaries), and nothing else.
 * @param {string | undefined} lockfile package-lock.json's text
 * @param {string | undefined} installed node_modules/.package-lock.json's text (undefined: not there)
 * @returns {'fresh' | 'missing' | 'stale'}
 */
export function nodeModulesState(lockfile, installed) {
  if (installed === undefined) return 'missing';
  if (lockfile === undefined) return 'fresh';
  const wanted = JSON.parse(lockfile).packages ?? {};
  const have = JSON.parse(installed).packages ?? {};
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const stale =
    Object.entries(wanted).some(
      ([path, entry]) => path !== '' && (have[path] ? !same(have[path], entry) : !entry.optional),
    ) || Object.keys(have).some((path) => !wanted[path]);
  return stale ? 'stale' : 'fresh';
}

/** Java's major version from `java -version` output, or 0. */
export function javaMajor(versionOutput) {
  const version = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!version) return 0;
  return version[1] === '1' ? Number(version[2]) : Number(version[1]);
}

function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const onPath = (program) =>
  (process.env.PATH ?? '').split(delimiter).some((dir) => dir && executable(join(dir, program)));

function readText(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function run(command, args, cwd) {
  console.error(`bootstrap: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    cwd,
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0) {
    console.error(
      `bootstrap: ${command} ${args.join(' ')} failed (${result.error?.message ?? result.signal ?? `exit code ${result.status}`})`,
    );
    process.exit(result.status || 1);
  }
}

/** Runs the command as if exec'd: same stdio, signals passed on, its exit code (or signal) becomes ours. */
function handOver(command, args, cwd) {
  const child = spawn(command, args, { cwd, stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
  child.on('error', (error) => {
    console.error(`bootstrap: cannot run ${command}: ${error.message}`);
    process.exit(127);
  });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (os.signals[signal] ?? 0)));
}

function main(argv) {
  const separator = argv.indexOf('--');
  const [task] = argv;
  const command = separator >= 0 ? argv.slice(separator + 1) : [];
  if ((task !== 'start' && task !== 'test') || command.length === 0) {
    console.error('usage: node scripts/bootstrap.mjs <start|test> -- <command...>');
    process.exit(2);
  }
  const root = resolve(import.meta.dirname, '..');
  const pinnedNode = join(root, 'node_modules', '.bin', 'node');
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const nodeModules = executable(pinnedNode)
    ? nodeModulesState(
        readText(join(root, 'package-lock.json')),
        readText(join(root, 'node_modules', '.package-lock.json')),
      )
    : 'missing';
  const decision = plan({
    task,
    nodeModules,
    redisUrl: process.env.REDIS_URL,
    have: {
      java: !java.error && javaMajor(`${java.stderr}${java.stdout}`) >= 17 && onPath('javac'),
      'redis-server': onPath('redis-server'),
      chromium: onPath('chromium'),
    },
    root: process.getuid?.() === 0 && !process.env.BOOTSTRAP_PRINT_ONLY,
    aptGet: onPath('apt-get'),
  });
  if (decision.refuse) {
    console.error(decision.refuse);
    process.exit(1);
  }
  if (decision.apt.length > 0) {
    run('apt-get', ['update', '-qq'], root);
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...decision.apt], root);
  }
  if (decision.npmCi) {
    console.error(
      `bootstrap: node_modules is ${nodeModules === 'missing' ? 'not installed' : 'older than package-lock.json'}`,
    );
    run('npm', ['ci', '--no-audit', '--no-fund'], root);
  }
  const [program, ...args] = command;
  handOver(program === 'node' ? pinnedNode : program, args, process.cwd());
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
