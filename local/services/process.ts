import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { waitForPort } from '../net.ts';
import type { ServiceControl } from './types.ts';

// Runs the command under a shell that kills it when our stdin pipe closes, so a service never
// outlives the local cloud, even when the local cloud is killed hard.
// (Background jobs of a script get /dev/null as stdin, hence the copy on fd 3.)
const SUPERVISOR = [
  'exec 3<&0',
  '"$@" & child=$!',
  "trap 'kill -TERM $child 2>/dev/null' TERM INT",
  '( while read -r _ <&3; do :; done; kill -TERM $child 2>/dev/null ) &',
  'wait $child; wait $child',
].join('\n');

/**
 * Spawns a service process that dies with its parent; its output is kept (last lines) for error
 * messages, not printed.
 */
export function spawnQuiet(
  command: string,
  args: string[],
  options: SpawnOptions,
): { child: ChildProcess; output: () => string } {
  const child = spawn('/bin/sh', ['-c', SUPERVISOR, 'supervisor', command, ...args], {
    ...options,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  child.once('error', (error) => lines.push(`could not start ${command}: ${error.message}`));
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => lines.join('\n') };
}

/** Stops a child process: SIGTERM, then SIGKILL if it lingers (the service under the supervisor first, else it would outlive it). */
export async function stopProcess(child: ChildProcess, graceMs = 3000): Promise<'stopped' | 'killed'> {
  if (child.exitCode !== null || child.signalCode !== null) {
    for (const stream of [child.stdin, child.stdout, child.stderr]) stream?.destroy();
    return 'stopped';
  }
  let killed = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    killed = true;
    if (child.pid) spawnSync('pkill', ['-KILL', '-P', String(child.pid)]);
    child.kill('SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
  // Closing our ends lets the supervisor's stdin watcher exit and frees this process's handles.
  for (const stream of [child.stdin, child.stdout, child.stderr]) stream?.destroy();
  return killed ? 'killed' : 'stopped';
}

/** Rejects if the child exits before `ready` settles, with its output as the reason. */
export async function raceExit<T>(
  child: ChildProcess,
  ready: Promise<T>,
  what: string,
  output: () => string,
): Promise<T> {
  let onExit: (code: number | null) => void = () => {};
  const exited = new Promise<never>((_, reject) => {
    onExit = (code) => reject(new Error(`${what} exited (code ${code}) before it was ready:\n${output()}`));
    child.once('exit', onExit);
  });
  try {
    return await Promise.race([ready, exited]);
  } finally {
    child.off('exit', onExit);
  }
}

/**
 * A service process on a fixed port that can be stopped and started again (an outage, for chaos tests).
 * `launch` spawns it; it is ready when the port accepts connections. Whether its data survives a
 * restart is up to how `launch` runs it.
 */
export async function restartableProcess(
  what: string,
  port: number,
  launch: () => ReturnType<typeof spawnQuiet>,
): Promise<ServiceControl> {
  let current: ChildProcess | undefined;
  const start = async () => {
    if (current) return;
    const { child, output } = launch();
    try {
      await raceExit(child, waitForPort(port, what), what, output);
    } catch (error) {
      await stopProcess(child);
      throw error;
    }
    current = child;
  };
  // A service killed before it could save its data has lost some: say so rather than go on quietly.
  const stop = async () => {
    const child = current;
    current = undefined;
    if (child && (await stopProcess(child, 30_000)) === 'killed')
      throw new Error(`${what} did not stop within 30 s and was killed: data it had not saved is lost`);
  };
  await start();
  return { start, stop, running: () => current !== undefined };
}
