import { spawnSync } from 'node:child_process';

/** What `npm start` needs from the machine, with the command that provides it. */
export function missingPrerequisites(options: { needRedisServer: boolean }): string[] {
  const missing: string[] = [];
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 24) missing.push(`Node.js 24 (running ${process.version}): run through npm scripts, which use the node@24 dev dependency (npm ci).`);
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const javaVersion = /version "(\d+)/.exec(`${java.stderr}${java.stdout}`)?.[1];
  // javac too: DynamoDB Local is started through a launcher compiled on first use (local/services/dynamodb.ts).
  if (java.error || !javaVersion || Number(javaVersion) < 17 || spawnSync('javac', ['-version']).error) {
    missing.push('a JDK 17 or newer (java and javac on PATH), for DynamoDB Local: e.g. `apt-get install -y openjdk-17-jdk-headless`.');
  }
  if (options.needRedisServer && spawnSync('redis-server', ['--version']).error) {
    missing.push('redis-server: `apt-get install -y redis-server` (or set REDIS_URL to an existing Redis).');
  }
  return missing;
}
