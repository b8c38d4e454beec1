// Types of scripts/bootstrap.mjs (plain JavaScript so that it runs on the Node that runs npm) for its tests.
export type Task = 'start' | 'test';
export type NodeModulesState = 'fresh' | 'missing' | 'stale';
export interface Facts {
  task: Task;
  nodeModules: NodeModulesState;
  /** Programs found on PATH (java: version 17 or newer). */
  have: Record<string, boolean>;
  redisUrl?: string;
  /** Root, and not BOOTSTRAP_PRINT_ONLY. */
  root: boolean;
  aptGet: boolean;
}
export interface Plan {
  apt: string[];
  npmCi: boolean;
  refuse?: string;
}
export function plan(facts: Facts): Plan;
export function nodeModulesState(lockfile: string | undefined, installed: string | undefined): NodeModulesState;
export function javaMajor(versionOutput: string): number;
