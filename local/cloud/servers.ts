import { freePort, waitForPort } from '../net.ts';
import { raceExit, spawnQuiet, stopProcess } from '../services/process.ts';
import type { LocalServerSpec } from '../template.ts';
import type { RunningService } from '../services/types.ts';
import { join } from 'node:path';

/**
 * Starts a long-running process of the service (e.g. the tracking server) with the environment of the
 * function it stands in for, on a free port given as PORT.
 */
export async function startLocalServer(
  spec: LocalServerSpec,
  serviceDir: string,
  environment: Record<string, string>,
  onLog: (line: string) => void,
): Promise<RunningService> {
  const port = await freePort();
  const { child, output } = spawnQuiet(process.execPath, [join(serviceDir, spec.entry)], {
    cwd: serviceDir,
    env: { PATH: process.env.PATH ?? '', ...environment, PORT: String(port) },
  });
  child.stdout?.on('data', (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).forEach(onLog));
  child.stderr?.on('data', (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).forEach(onLog));
  await raceExit(child, waitForPort(port, `server ${spec.name}`), `server ${spec.name}`, output);
  return {
    name: spec.name,
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      await stopProcess(child);
    },
  };
}
