import type { SNSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { parseFileEvents } from '../../../src/domain/files/object-changes.ts';

interface RecordInput {
  eventName: string;
  key: string;
  bucket?: string;
  size?: number;
  eTag?: string;
  versionId?: string;
  sequencer?: string;
}

function s3Record({
  eventName,
  key,
  bucket = 'input',
  size,
  eTag,
  versionId,
  sequencer = '0055AED6DCD90281E5',
}: RecordInput) {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: '2025-01-02T03:04:05.678Z',
    eventName,
    userIdentity: { principalId: 'AWS:X' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: {},
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'md',
      bucket: { name: bucket, ownerIdentity: { principalId: 'X' }, arn: `arn:aws:s3:::${bucket}` },
      object: {
        key,
        sequencer,
        ...(size === undefined ? {} : { size }),
        ...(eTag ? { eTag } : {}),
        ...(versionId ? { versionId } : {}),
      },
    },
  };
}

function snsEvent(...messages: string[]): SNSEvent {
  return {
    Records: messages.map((Message, i) => ({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: 'arn:aws:sns:us-east-1:1:t:s',
      Sns: {
        Type: 'Notification',
        MessageId: `m-${i}`,
        TopicArn: 'arn:aws:sns:us-east-1:1:t',
        Subject: 'Amazon S3 Notification',
        Message,
        Timestamp: '2025-01-02T03:04:06.000Z',
        SignatureVersion: '1',
        Signature: 's',
        SigningCertUrl: 'u',
        UnsubscribeUrl: 'u',
        MessageAttributes: {},
      },
    })),
  };
}

const notification = (...records: unknown[]) => JSON.stringify({ Records: records });

describe('parseFileEvents', () => {
  it('reads a created object with its decoded key, size, eTag, version and sequencer', () => {
    const event = snsEvent(
      notification(
        s3Record({
          eventName: 'ObjectCreated:Put',
          key: 'my+notes/week+1%2B2.md',
          size: 42,
          eTag: 'abc',
          versionId: 'v1',
          sequencer: '0A1',
        }),
      ),
    );
    expect(parseFileEvents(event)).toEqual({
      changes: [
        {
          kind: 'created',
          bucket: 'input',
          key: 'my notes/week 1+2.md',
          size: 42,
          eTag: 'abc',
          versionId: 'v1',
          sequencer: '0A1',
          eventTime: '2025-01-02T03:04:05.678Z',
          eventName: 'ObjectCreated:Put',
        },
      ],
      skipped: [],
      rejected: [],
    });
  });

  it('reads every record of every message, in order', () => {
    const event = snsEvent(
      notification(
        s3Record({ eventName: 'ObjectCreated:Put', key: 'a.md' }),
        s3Record({ eventName: 'ObjectCreated:CompleteMultipartUpload', key: 'b.markdown' }),
      ),
      notification(
        s3Record({ eventName: 'ObjectRemoved:Delete', key: 'c.md' }),
        s3Record({ eventName: 'ObjectCreated:Copy', key: 'd.MD' }),
      ),
    );
    const { changes } = parseFileEvents(event);
    expect(changes.map(({ kind, key }) => `${kind} ${key}`)).toEqual([
      'created a.md',
      'created b.markdown',
      'removed c.md',
      'created d.MD',
    ]);
  });

  it('treats deletes, delete markers and lifecycle expirations as removals, without size or eTag', () => {
    const event = snsEvent(
      notification(
        s3Record({ eventName: 'ObjectRemoved:Delete', key: 'a.md' }),
        s3Record({ eventName: 'ObjectRemoved:DeleteMarkerCreated', key: 'b.md', versionId: 'v9' }),
        s3Record({ eventName: 'LifecycleExpiration:Delete', key: 'c.md' }),
      ),
    );
    const { changes } = parseFileEvents(event);
    expect(changes.map((change) => change.kind)).toEqual(['removed', 'removed', 'removed']);
    expect(changes[0]).not.toHaveProperty('size');
    expect(changes[0]).not.toHaveProperty('eTag');
    expect(changes[1]!.versionId).toBe('v9');
  });

  it('skips keys that are not Markdown and events that neither create nor remove, saying why', () => {
    const event = snsEvent(
      notification(
        s3Record({ eventName: 'ObjectCreated:Put', key: 'photo.png' }),
        s3Record({ eventName: 'ObjectRestore:Completed', key: 'old.md' }),
        s3Record({ eventName: 'ObjectCreated:Put', key: 'keep.md' }),
      ),
    );
    const { changes, skipped, rejected } = parseFileEvents(event);
    expect(changes.map((change) => change.key)).toEqual(['keep.md']);
    expect(skipped).toEqual([
      { bucket: 'input', key: 'photo.png', eventName: 'ObjectCreated:Put', reason: expect.stringMatching(/Markdown/) },
      {
        bucket: 'input',
        key: 'old.md',
        eventName: 'ObjectRestore:Completed',
        reason: expect.stringMatching(/neither creates nor removes/),
      },
    ]);
    expect(rejected).toEqual([]);
  });

  it('drops the test event S3 sends when notifications are configured, silently', () => {
    const testEvent = JSON.stringify({
      Service: 'Amazon S3',
      Event: 's3:TestEvent',
      Time: '2025-01-02T03:04:05.678Z',
      Bucket: 'input',
      RequestId: 'r',
      HostId: 'h',
    });
    expect(parseFileEvents(snsEvent(testEvent))).toEqual({ changes: [], skipped: [], rejected: [] });
  });

  it('rejects messages that are not S3 notifications, keeping them whole, and still reads the others', () => {
    const event = snsEvent(
      '{"hello":',
      '{"hello":"world"}',
      'null',
      notification(s3Record({ eventName: 'ObjectCreated:Put', key: 'ok.md' })),
    );
    const { changes, rejected } = parseFileEvents(event);
    expect(changes.map((change) => change.key)).toEqual(['ok.md']);
    expect(rejected).toEqual([
      { reason: 'the SNS message is not JSON', raw: '{"hello":' },
      { reason: 'the SNS message is not an S3 event notification', raw: '{"hello":"world"}' },
      { reason: 'the SNS message is not an S3 event notification', raw: 'null' },
    ]);
  });

  it('rejects a record without a key or bucket, and one whose key is not valid URL-encoding', () => {
    const noKey = {
      ...s3Record({ eventName: 'ObjectCreated:Put', key: 'x.md' }),
      s3: { bucket: { name: 'input' }, object: { size: 1 } },
    };
    const badKey = s3Record({ eventName: 'ObjectCreated:Put', key: 'bad%E0%A4%A.md' });
    const { changes, rejected } = parseFileEvents(
      snsEvent(notification(noKey, badKey, s3Record({ eventName: 'ObjectCreated:Put', key: 'fine.md' }))),
    );
    expect(changes.map((change) => change.key)).toEqual(['fine.md']);
    expect(rejected).toEqual([
      { reason: expect.stringMatching(/^not an S3 event record: s3\.object\.key/), raw: noKey },
      { reason: expect.stringMatching(/not URL-encoded/), raw: badKey },
    ]);
  });

  it('accepts a record without a sequencer or event time, leaving them empty', () => {
    const record = s3Record({ eventName: 'ObjectCreated:Put', key: 'a.md' }) as {
      eventTime?: string;
      s3: { object: { sequencer?: string } };
    };
    delete record.eventTime;
    delete record.s3.object.sequencer;
    expect(parseFileEvents(snsEvent(notification(record))).changes[0]).toMatchObject({
      key: 'a.md',
      sequencer: '',
      eventTime: '',
    });
  });

  it('returns nothing for an event without records', () => {
    expect(parseFileEvents({ Records: [] })).toEqual({ changes: [], skipped: [], rejected: [] });
  });
});
