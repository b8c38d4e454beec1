import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import type { CoreData } from '../../../src/domain/tracking/core-data.ts';
import { awsConfig, invokeFunction, localCloud } from '../../support/cloud.ts';

/** Helpers of the core-data and tracking tests: programs, Kinesis events, Redis connections. */

export function uniqueProgram(overrides: Partial<CoreData> = {}): CoreData {
  return {
    programId: `it-${randomUUID()}`,
    programName: 'Integration test program',
    checksum: 'c0ffee',
    customerId: 4242,
    customerName: 'Test Customer',
    valid: true,
    version: 1,
    ...overrides,
  };
}

let sequence = 10n ** 55n;

/** A Kinesis event as Lambda delivers it for CoreDataStream, one record per payload. */
export function kinesisEvent(payloads: ReadonlyArray<{ partitionKey: string; data: string }>) {
  return {
    Records: payloads.map(({ partitionKey, data }) => {
      sequence += 1n;
      return {
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey,
          sequenceNumber: String(sequence),
          data: Buffer.from(data).toString('base64'),
          approximateArrivalTimestamp: Date.now() / 1000,
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `shardId-000000000000:${sequence}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: 'arn:aws:iam::000000000000:role/updateCoreData',
        awsRegion: 'us-east-1',
        eventSourceARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${localCloud().stackName}-CoreDataStream`,
      };
    }),
  };
}

export const updateRecord = (program: CoreData) => ({ partitionKey: program.programId, data: JSON.stringify(program) });

/** The environment the local cloud gives a function (REDIS_URL, REDIS_AUTH_SECRET, endpoints, ...). */
export function environmentOf(name: string): Record<string, string> {
  const fn = localCloud().functions[name];
  if (!fn) throw new Error(`no function ${name}`);
  return fn.environment;
}

/** A secret's value from the local cloud's Secrets Manager, as the functions read it. */
export async function localSecret(secretId: string): Promise<string> {
  const client = new SecretsManagerClient(awsConfig('secretsmanager'));
  try {
    return (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString!;
  } finally {
    client.destroy();
  }
}

/** A connection to the local cloud's Redis with the AUTH token the functions use. */
export async function cloudRedis() {
  const environment = environmentOf('updateCoreData');
  const client = createClient({
    url: environment.REDIS_URL,
    password: await localSecret(environment.REDIS_AUTH_SECRET!),
  });
  client.on('error', () => {});
  await client.connect();
  return client;
}

export const programKey = (programId: string) =>
  `${environmentOf('updateCoreData').REDIS_KEY_PREFIX ?? 'program:'}${programId}`;
export const coreDataChannel = () => environmentOf('updateCoreData').CORE_DATA_CHANNEL ?? 'core-data-updates';

/** Puts programs into Redis the way production does: through updateCoreData. */
export async function seedPrograms(...programs: CoreData[]): Promise<void> {
  const result = await invokeFunction('updateCoreData', kinesisEvent(programs.map(updateRecord)));
  if (!result.ok || (result.payload as { batchItemFailures: unknown[] }).batchItemFailures.length > 0)
    throw new Error(`seeding failed: ${JSON.stringify(result)}`);
}
