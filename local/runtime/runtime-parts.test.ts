import { describe, expect, it } from 'vitest';
import { asyncFailureRecord, eventAgeExceeded, retryDelay } from './destination-record.ts';
import { newLogStreamName, sandboxEnvironment } from './environment.ts';
import { invocationError, timeoutError } from './errors.ts';
import { lineSplitter } from './lines.ts';
import type { FunctionSpec } from './index.ts';

const spec: FunctionSpec = {
  name: 'castVote',
  physicalName: 'refarch-dev-castVote',
  arn: 'arn:aws:lambda:eu-west-1:000000000000:function:refarch-dev-castVote',
  handlerFile: '/app/src/functions/votes/castVote.ts',
  handlerExport: 'handler',
  environment: { TABLE: 'votes', AWS_LAMBDA_FUNCTION_NAME: 'nope' },
  timeoutSeconds: 6,
  memoryMb: 512,
};

describe('runtime parts', () => {
  it('layers the environment: base, then the function, then the variables Lambda reserves', () => {
    const env = sandboxEnvironment(
      spec,
      { AWS_REGION: 'us-east-1', TABLE: 'base', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1' },
      'stream',
    );
    expect(env).toMatchObject({
      TABLE: 'votes',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1',
      AWS_REGION: 'eu-west-1',
      AWS_LAMBDA_FUNCTION_NAME: 'refarch-dev-castVote',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
      AWS_LAMBDA_LOG_STREAM_NAME: 'stream',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    });
  });

  it('names log streams as Lambda does', () => {
    expect(newLogStreamName(new Date('2026-03-04T05:06:07Z'), 'abc')).toBe('2026/03/04/[$LATEST]abc');
  });

  it('describes thrown values as the Node.js runtime does', () => {
    const error = invocationError(new RangeError('too far'));
    expect(error).toMatchObject({ errorType: 'RangeError', errorMessage: 'too far' });
    expect(error.trace?.[0]).toBe('RangeError: too far');
    expect(invocationError('plain')).toEqual({ errorType: 'string', errorMessage: 'plain' });
    expect(timeoutError(3)).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: 'Task timed out after 3.00 seconds',
    });
  });

  it('builds the async on-failure invocation record', () => {
    const record = asyncFailureRecord({
      requestId: 'r1',
      functionArn: spec.arn,
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
      event: { a: 1 },
      error: { errorType: 'Error', errorMessage: 'x' },
      now: new Date(0),
    });
    expect(record).toEqual({
      version: '1.0',
      timestamp: '1970-01-01T00:00:00.000Z',
      requestContext: {
        requestId: 'r1',
        functionArn: `${spec.arn}:$LATEST`,
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: { a: 1 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'x' },
    });
  });

  it('waits the configured delays between async attempts and knows when an event is too old', () => {
    expect([1, 2, 3].map((retry) => retryDelay([1000, 2000], retry))).toEqual([1000, 2000, 2000]);
    expect(eventAgeExceeded(0, 60_001, 60)).toBe(true);
    expect(eventAgeExceeded(0, 60_000, 60)).toBe(false);
    expect(eventAgeExceeded(0, 6 * 3600 * 1000, undefined)).toBe(false);
  });

  it('splits output into lines across chunks', () => {
    const lines: string[] = [];
    const splitter = lineSplitter((line) => lines.push(line));
    splitter.push('one\ntw');
    splitter.push('o\r\nthree');
    splitter.flush();
    expect(lines).toEqual(['one', 'two', 'three']);
  });
});
