import { once } from 'node:events';
import { relative, resolve } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { build } from 'esbuild';

/** Something that runs code from an entry file and can load it anew (a function's sandboxes). */
export interface WatchTarget {
  name: string;
  entry: string;
  reload(): void | Promise<void>;
}

export interface SourceWatcher {
  /** Resolves once every target's imports are known (changes before then are still seen). */
  ready: Promise<void>;
  close(): void;
}

const DEBOUNCE_MS = 100;

/**
 * The project's source files an entry imports, directly or not (node_modules excluded), as absolute
 * paths: esbuild resolves the imports exactly as the bundler does when packaging.
 */
export async function sourcesOf(entry: string, serviceDir: string): Promise<Set<string>> {
  const { metafile } = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
    absWorkingDir: serviceDir,
  });
  return new Set(Object.keys(metafile.inputs).map((input) => resolve(serviceDir, input)));
}

/**
 * Watch mode of `npm start`: a change to a file under `sourceDirs` reloads every target that imports
 * it (the services and their data stay up); a change to a config file (serverless.yml and the files it
 * includes) is reported, since the resources it describes need a restart.
 */
export function watchSources(options: {
  serviceDir: string;
  sourceDirs: string[];
  configFiles: string[];
  targets: WatchTarget[];
  onLine: (line: string) => void;
}): SourceWatcher {
  const { serviceDir, targets, onLine } = options;
  const sources = new Map<WatchTarget, Set<string>>();
  const learn = async (target: WatchTarget) => {
    try {
      sources.set(target, await sourcesOf(target.entry, serviceDir));
    } catch (error) {
      onLine(
        `watch: cannot read the imports of ${target.name} (${(error as Error).message.split('\n')[0]}); it reloads on any change`,
      );
      sources.delete(target);
    }
  };
  const ready = Promise.all(targets.map(learn)).then(() => undefined);

  let changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const flush = async () => {
    const paths = changed;
    changed = new Set();
    const hit = targets.filter((target) => {
      const files = sources.get(target);
      return !files || [...paths].some((path) => files.has(path));
    });
    for (const target of hit) {
      await target.reload();
      await learn(target); // its imports may have changed with it
      onLine(`reloaded ${target.name}`);
    }
  };
  const onSourceChange = (path: string) => {
    changed.add(path);
    clearTimeout(timer);
    timer = setTimeout(() => {
      void flush();
    }, DEBOUNCE_MS);
  };

  const watchers = startWatchers(options, onSourceChange);
  return {
    ready: Promise.all([ready, ...watchers.map((watcher) => once(watcher, 'ready'))]).then(() => undefined),
    close: () => {
      clearTimeout(timer);
      for (const watcher of watchers) void watcher.close();
    },
  };
}

/** The file watchers: sources (reload what imports them) and config files (a restart is needed). */
function startWatchers(
  options: { serviceDir: string; sourceDirs: string[]; configFiles: string[]; onLine: (line: string) => void },
  onSourceChange: (path: string) => void,
): FSWatcher[] {
  // chokidar rather than fs.watch: Node's recursive watch on Linux loses a file that an editor saves by
  // replacing it (write a copy, rename it over), which is how sed -i and many editors save.
  const watchers: FSWatcher[] = [];
  if (options.sourceDirs.length) {
    watchers.push(
      watch(
        options.sourceDirs.map((dir) => resolve(options.serviceDir, dir)),
        { ignoreInitial: true, ignored: (path) => path.includes('node_modules') },
      ).on('all', (_event, path) => onSourceChange(resolve(path))),
    );
  }
  if (options.configFiles.length) {
    watchers.push(
      watch(
        options.configFiles.map((file) => resolve(options.serviceDir, file)),
        { ignoreInitial: true },
      ).on('change', (path) => {
        options.onLine(
          `${relative(options.serviceDir, path)} changed: restart npm start to apply it to the local resources (function code reloads by itself)`,
        );
      }),
    );
  }
  return watchers;
}
