import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { localCloud } from '../../support/cloud.ts';

// Every service of the local cloud listens on 127.0.0.1 only. The local cloud runs in the test runner's
// main process (the global setup), the parent of this test's process: its listening sockets are those
// of that process and its descendants (DynamoDB Local's JVM, redis-server, the tracking
// server, ...), read from /proc as `ss -ltnp` does.

interface Listener {
  address: string;
  port: number;
  pid: number;
  command: string;
}

const read = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

function descendants(root: number): number[] {
  const found = [root];
  for (let i = 0; i < found.length; i += 1) {
    for (const task of safeList(`/proc/${found[i]}/task`)) {
      found.push(...read(`/proc/${found[i]}/task/${task}/children`).split(/\s+/).filter(Boolean).map(Number));
    }
  }
  return [...new Set(found)];
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** /proc/net/tcp{,6} addresses: 32-bit words in host (little-endian) order. */
function decode(hex: string): string {
  const words = hex.match(/.{8}/g)!.map((word) => word.match(/../g)!.reverse().join(''));
  if (words.length === 1)
    return words[0]!
      .match(/../g)!
      .map((byte) => parseInt(byte, 16))
      .join('.');
  const groups = words
    .join('')
    .match(/.{4}/g)!
    .map((group) => parseInt(group, 16).toString(16));
  const full = groups.join(':');
  if (full === '0:0:0:0:0:ffff:' + groups.slice(6).join(':')) {
    const v4 = words[3]!
      .match(/../g)!
      .map((byte) => parseInt(byte, 16))
      .join('.');
    return `::ffff:${v4}`;
  }
  return full === '0:0:0:0:0:0:0:1' ? '::1' : full === '0:0:0:0:0:0:0:0' ? '::' : full;
}

function listeners(root: number): Listener[] {
  const byInode = new Map<string, { address: string; port: number }>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of read(table).split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] !== '0A') continue; // LISTEN
      const [address, port] = fields[1]!.split(':') as [string, string];
      byInode.set(fields[9]!, { address: decode(address), port: parseInt(port, 16) });
    }
  }
  const found: Listener[] = [];
  for (const pid of descendants(root)) {
    const command = read(`/proc/${pid}/comm`).trim();
    for (const fd of safeList(`/proc/${pid}/fd`)) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      const socket = inode && byInode.get(inode);
      if (socket) found.push({ ...socket, pid, command });
    }
  }
  return found;
}

const isLoopback = (address: string) => /^127\./.test(address) || address === '::1' || /^::ffff:127\./.test(address);

describe('the local cloud listens on loopback only', () => {
  it('has no listening socket on another interface, for any of its processes', () => {
    const found = listeners(process.ppid);
    const ports = new Set(found.map((l) => l.port));
    // The sockets found are the local cloud's: every endpoint is among them.
    for (const [name, url] of Object.entries(localCloud().endpoints)) {
      expect(ports.has(Number(new URL(url).port)), `${name} ${url}`).toBe(true);
    }
    expect(found.map((l) => l.command)).toEqual(expect.arrayContaining(['java', 'redis-server']));
    const exposed = found.filter((l) => !isLoopback(l.address));
    expect(exposed, JSON.stringify(exposed)).toEqual([]);
  });
});
