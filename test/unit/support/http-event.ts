import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

/** An API Gateway HTTP API (payload format 2.0) event, as API Gateway sends it. */
export function httpEvent(
  routeKey: string,
  options: { body?: string; contentType?: string; base64?: boolean; headers?: Record<string, string> } = {},
): APIGatewayProxyEventV2 {
  const [method = 'GET', path = '/'] = routeKey.split(' ');
  const body =
    options.body === undefined
      ? undefined
      : options.base64
        ? Buffer.from(options.body).toString('base64')
        : options.body;
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: {
      host: 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
      'user-agent': 'unit-test',
      ...(options.contentType ? { 'Content-Type': options.contentType } : {}),
      ...(options.body !== undefined ? { 'content-length': String(Buffer.byteLength(options.body)) } : {}),
      ...options.headers,
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'a1b2c3d4e5',
      domainName: 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'a1b2c3d4e5',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.17', userAgent: 'unit-test' },
      requestId: 'C1u2v3w4IAMEJ8g=',
      routeKey,
      stage: '$default',
      time: '22/Nov/2026:10:15:30 +0000',
      timeEpoch: 1795342530000,
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: options.base64 ?? false,
  };
}

/** A Lambda context as the runtime passes it (what middy and Powertools read). */
export function lambdaContext(functionName = 'unit-test'): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    memoryLimitInMB: '1024',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/22/[$LATEST]abcdef',
    getRemainingTimeInMillis: () => 10_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function parseBody<T = ErrorBody>(response: { body?: string } | void): T {
  if (!response || typeof response.body !== 'string') throw new Error('no response body');
  return JSON.parse(response.body) as T;
}
