import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../services/types.ts';

/**
 * SDK clients the local cloud itself uses against its services (HTTP/1.1: the local Kinesis speaks only HTTP/1.1).
 * A request timeout, because a stream poller waiting forever on one lost response would stall its
 * shard silently; with it the poller sees an error and asks again.
 */
export function localClients(endpoints: { dynamodb: string; kinesis: string; s3: string }) {
  // throwOnRequestTimeout: without it the SDK only logs a warning and goes on waiting.
  const requestHandler = new NodeHttpHandler({
    connectionTimeout: 5000,
    requestTimeout: 30_000,
    throwOnRequestTimeout: true,
  });
  const common = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, requestHandler };
  return {
    dynamodb: new DynamoDBClient({ ...common, endpoint: endpoints.dynamodb }),
    dynamodbStreams: new DynamoDBStreamsClient({ ...common, endpoint: endpoints.dynamodb }),
    kinesis: new KinesisClient({ ...common, endpoint: endpoints.kinesis }),
    s3: new S3Client({ ...common, endpoint: endpoints.s3, forcePathStyle: true }),
  };
}
export type LocalClients = ReturnType<typeof localClients>;
