import { randomUUID } from 'node:crypto';
import type { S3rverEvent } from '../services/s3.ts';
import type { SnsNotification, SnsService } from '../services/sns.ts';
import type { SqsService } from '../services/sqs.ts';
import type { BucketNotificationModel, FunctionModel, SubscriptionModel } from './model.ts';

export interface AsyncInvoker {
  invokeAsync(name: string, event: unknown): void;
}

interface Targets {
  sns: SnsService;
  sqs: SqsService;
  runtime: AsyncInvoker;
  functions: FunctionModel[];
  region: string;
}

/** S3 event notifications as AWS sends them: one record per event, the key URL-encoded. */
export function deliverS3Event(event: S3rverEvent, notifications: BucketNotificationModel[], targets: Targets): void {
  for (const record of event.Records) {
    const { key } = record.s3.object;
    for (const notification of notifications) {
      if (notification.bucket !== record.s3.bucket.name || !matchesEvent(notification.events, record.eventName))
        continue;
      if (
        (notification.prefix && !key.startsWith(notification.prefix)) ||
        (notification.suffix && !key.endsWith(notification.suffix))
      )
        continue;
      const s3Event = { Records: [awsS3Record(record, targets.region)] };
      deliver(notification.target, s3Event, targets);
    }
  }
}

function matchesEvent(patterns: string[], eventName: string): boolean {
  return patterns.some((pattern) => {
    const wanted = pattern.replace(/^s3:/, '');
    return wanted.endsWith('*') ? eventName.startsWith(wanted.slice(0, -1)) : wanted === eventName;
  });
}

/** S3 encodes keys in notifications like an HTML form: spaces as '+', '/' kept, everything else %-escaped. */
export function encodeS3EventKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/')
    .replace(/[!'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function awsS3Record(record: S3rverEvent['Records'][number], region: string) {
  const object = record.s3.object;
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: region,
    eventTime: record.eventTime,
    eventName: record.eventName,
    userIdentity: { principalId: 'AWS:LOCAL' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': randomUUID(), 'x-amz-id-2': randomUUID() },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'local',
      bucket: {
        name: record.s3.bucket.name,
        ownerIdentity: { principalId: 'LOCAL' },
        arn: `arn:aws:s3:::${record.s3.bucket.name}`,
      },
      object: {
        key: encodeS3EventKey(object.key),
        ...(object.size !== undefined ? { size: object.size } : {}),
        ...(object.eTag ? { eTag: object.eTag } : {}),
        sequencer: object.sequencer ?? Date.now().toString(16).toUpperCase(),
      },
    },
  };
}

function deliver(target: BucketNotificationModel['target'], s3Event: unknown, targets: Targets): void {
  if (target.kind === 'topic') targets.sns.publish(target.arn, JSON.stringify(s3Event), 'Amazon S3 Notification');
  else if (target.kind === 'queue') targets.sqs.sendByArn(target.arn, JSON.stringify(s3Event));
  else invokeByArn(target.arn, s3Event, targets);
}

/** SNS fan-out: each subscription gets its own copy, Lambda subscribers by async invoke. */
export function deliverSnsNotification(
  notification: SnsNotification,
  subscriptions: SubscriptionModel[],
  targets: Targets,
): void {
  for (const subscription of subscriptions) {
    if (subscription.topicArn !== notification.topicArn) continue;
    const subscriptionArn = `${notification.topicArn}:${subscription.endpoint.split(':').pop()}`;
    const message = {
      Type: 'Notification',
      MessageId: notification.messageId,
      TopicArn: notification.topicArn,
      Subject: notification.subject ?? null,
      Message: notification.message,
      Timestamp: notification.timestamp,
      SignatureVersion: '1',
      Signature: 'LOCAL',
      SigningCertUrl: 'http://localhost/local.pem',
      UnsubscribeUrl: `http://localhost/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
      MessageAttributes: notification.messageAttributes,
    };
    if (subscription.protocol === 'lambda') {
      invokeByArn(
        subscription.endpoint,
        {
          Records: [
            { EventSource: 'aws:sns', EventVersion: '1.0', EventSubscriptionArn: subscriptionArn, Sns: message },
          ],
        },
        targets,
      );
    } else if (subscription.protocol === 'sqs') {
      targets.sqs.sendByArn(subscription.endpoint, JSON.stringify(message));
    }
  }
}

function invokeByArn(arn: string, event: unknown, targets: Targets): void {
  const fn = targets.functions.find((f) => f.arn === arn || f.physicalName === arn);
  if (!fn) throw new Error(`no local function for ${arn}`);
  targets.runtime.invokeAsync(fn.name, event);
}
