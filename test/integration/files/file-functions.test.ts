import { describe, expect, it } from 'vitest';
import { invokeFunction, physicalId } from '../../support/cloud.ts';
import {
  deleteFile,
  documentItem,
  exists,
  fileEvent,
  filesDeadLetters,
  putFile,
  scratchBucket,
} from '../../support/files.ts';

// What the three file functions share: every record of an event, S3's key encoding, deletes, and
// files that can never be converted. Each runs on events about a scratch bucket of its own, which
// no topic watches, so only the events a test sends reach it.
const withoutExtension = (key: string) => key.replace(/\.[^./]*$/, '');
const functions = [
  {
    name: 'renderHtml',
    artifact: (key: string) => exists(physicalId('OutputBucket'), `html/${withoutExtension(key)}.html`),
  },
  {
    name: 'renderText',
    artifact: (key: string) => exists(physicalId('OutputBucket'), `text/${withoutExtension(key)}.txt`),
  },
  { name: 'extractMetadata', artifact: async (key: string) => (await documentItem(key)) !== undefined },
] as const;

const unique = (label: string) => `it-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

describe.each(functions)('$name on S3 notifications through SNS', ({ name, artifact }) => {
  it('makes an artifact for every record of the event, keys with spaces, plus signs, unicode and dotted folders included', async () => {
    const bucket = await scratchBucket(name.toLowerCase());
    const prefix = unique(name);
    const keys = [
      `${prefix}/my notes/week 1.md`,
      `${prefix}/a+b=c.md`,
      `${prefix}/ünïcødé/日本語 メモ.markdown`,
      `${prefix}/v1.2/read.me.md`,
    ];
    for (const key of keys) await putFile(bucket, key, `# ${key}\n\nSome text.\n`);
    const result = await invokeFunction(
      name,
      fileEvent(keys.map((key) => ({ eventName: 'ObjectCreated:Put', bucket, key }))),
    );
    expect(result).toMatchObject({ ok: true });
    for (const key of keys) expect(await artifact(key), key).toBe(true);
  });

  it('removes the artifact when the source is deleted, and keeps it when the key holds an object again', async () => {
    const bucket = await scratchBucket(name.toLowerCase());
    const [gone, back] = [`${unique(name)}/gone.md`, `${unique(name)}/back.md`];
    await putFile(bucket, gone, '# Gone\n');
    await putFile(bucket, back, '# Back\n');
    await invokeFunction(
      name,
      fileEvent([
        { eventName: 'ObjectCreated:Put', bucket, key: gone },
        { eventName: 'ObjectCreated:Put', bucket, key: back },
      ]),
    );
    await deleteFile(bucket, gone);
    // `back` was deleted and uploaded again; its removal event arrives late.
    const result = await invokeFunction(
      name,
      fileEvent([
        { eventName: 'ObjectRemoved:Delete', bucket, key: gone },
        { eventName: 'ObjectRemoved:Delete', bucket, key: back },
      ]),
    );
    expect(result).toMatchObject({ ok: true });
    expect(await artifact(gone)).toBe(false);
    expect(await artifact(back)).toBe(true);
  });

  it('makes nothing for a source deleted before its created event arrives', async () => {
    const bucket = await scratchBucket(name.toLowerCase());
    const key = `${unique(name)}/late.md`;
    const result = await invokeFunction(name, fileEvent([{ eventName: 'ObjectCreated:Put', bucket, key }]));
    expect(result).toMatchObject({ ok: true });
    expect(await artifact(key)).toBe(false);
  });

  it('sends an oversize file and a file that is not UTF-8 to the dead-letter queue with the reason, and converts the rest', async () => {
    const bucket = await scratchBucket(name.toLowerCase());
    const prefix = unique(name);
    const [big, binary, fine] = [`${prefix}/big.md`, `${prefix}/latin1.md`, `${prefix}/fine.md`];
    await putFile(bucket, big, `# Big\n\n${'word '.repeat(1_100_000)}`); // 5.5 MB: over the 5 MB default
    await putFile(bucket, binary, Uint8Array.from([0x23, 0x20, 0x43, 0x61, 0x66, 0xe9, 0x0a])); // "# Café" in Latin-1
    await putFile(bucket, fine, '# Fine\n');
    const result = await invokeFunction(
      name,
      fileEvent([big, binary, fine].map((key) => ({ eventName: 'ObjectCreated:Put', bucket, key }))),
    );
    expect(result).toMatchObject({ ok: true });
    expect(await artifact(fine)).toBe(true);
    expect(await artifact(big)).toBe(false);
    expect(await artifact(binary)).toBe(false);
    const letters = await filesDeadLetters(prefix);
    expect(letters.map((letter) => letter.record.key).sort()).toEqual([big, binary].sort());
    expect(letters.find((letter) => letter.record.key === big)!.reason).toMatch(/bytes/);
    expect(letters.find((letter) => letter.record.key === binary)!.reason).toMatch(/UTF-8/);
  });
});
