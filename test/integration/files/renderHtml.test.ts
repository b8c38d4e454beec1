import { describe, expect, it } from 'vitest';
import { invokeFunction, physicalId } from '../../support/cloud.ts';
import { allFilesDeadLetters, fileEvent, putFile, readFile, scratchBucket } from '../../support/files.ts';

describe('renderHtml', () => {
  it('writes a sanitized HTML5 document titled by the first heading, with its content type and source version', async () => {
    const bucket = await scratchBucket('html');
    const key = `it-html-${process.pid}/guide/Getting Started.md`;
    const eTag = await putFile(
      bucket,
      key,
      '# Getting *started*\n\nHello <script>alert(1)</script> [me](javascript:alert(1)).\n\n- [x] done\n',
    );
    expect(
      await invokeFunction('renderHtml', fileEvent([{ eventName: 'ObjectCreated:Put', bucket, key }])),
    ).toMatchObject({ ok: true });
    const html = (await readFile(
      physicalId('OutputBucket'),
      `html/it-html-${process.pid}/guide/Getting Started.html`,
    ))!;
    expect(html.contentType).toBe('text/html; charset=utf-8');
    expect(html.metadata).toMatchObject({ 'source-etag': eTag.replaceAll('"', '') });
    expect(html.body).toMatch(/^<!doctype html>/i);
    expect(html.body).toContain('<title>Getting started</title>');
    expect(html.body).toContain('<meta charset="utf-8">');
    expect(html.body).not.toMatch(/<script|alert\(1\)<\/|href="javascript:/i);
    expect(html.body).toContain('Hello  [me](javascript:alert(1)).'); // an unsafe link stays text, as on GitHub
  });

  it('ignores the test event S3 sends when notifications are set up, and dead-letters a message that is not an S3 event', async () => {
    const notS3 = (message: string) => ({
      Records: [
        {
          EventSource: 'aws:sns',
          Sns: { MessageId: crypto.randomUUID(), Message: message, TopicArn: 'arn:aws:sns:us-east-1:000000000000:t' },
        },
      ],
    });
    const testEvent = JSON.stringify({
      Service: 'Amazon S3',
      Event: 's3:TestEvent',
      Time: new Date().toISOString(),
      Bucket: 'b',
      RequestId: 'r',
      HostId: 'h',
    });
    expect(await invokeFunction('renderHtml', notS3(testEvent))).toMatchObject({ ok: true });
    const marker = crypto.randomUUID();
    expect(await invokeFunction('renderHtml', notS3(`{"marker":"${marker}"`))).toMatchObject({ ok: true });
    const letters = (await allFilesDeadLetters()).filter((letter) => JSON.stringify(letter).includes(marker));
    expect(letters).toHaveLength(1);
    expect(letters[0]!.reason).toMatch(/not JSON/);
    expect(JSON.stringify(await allFilesDeadLetters())).not.toContain('s3:TestEvent');
  });
});
