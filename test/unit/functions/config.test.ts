import { describe, expect, it } from 'vitest';
import {
  arn,
  envConfig,
  list,
  number,
  optional,
  positiveInt,
  readConfig,
  string,
  url,
} from '../../../src/functions/shared/config.ts';

const schema = {
  table: string('TRACKING_EVENTS_TABLE'),
  maxBytes: positiveInt('MAX_MARKDOWN_BYTES'),
  humidityBelow: number('HUMIDITY_ALERT_BELOW'),
  deadLetterQueueUrl: url('DEAD_LETTER_QUEUE_URL'),
  topicArn: arn('ALERT_TOPIC_ARN'),
  candidates: list('CANDIDATES'),
  authSecret: optional(string('REDIS_AUTH_SECRET')),
};

const good = {
  TRACKING_EVENTS_TABLE: 'refarch-test-TrackingEvents',
  MAX_MARKDOWN_BYTES: '5242880',
  HUMIDITY_ALERT_BELOW: '35.5',
  DEAD_LETTER_QUEUE_URL: 'http://127.0.0.1:9324/000000000000/refarch-test-dlq',
  ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:refarch-test-AlertTopic',
  CANDIDATES: 'RED, GREEN,BLUE',
};

describe('readConfig', () => {
  it('reads every variable of the schema as its type', () => {
    expect(readConfig(schema, good)).toEqual({
      table: 'refarch-test-TrackingEvents',
      maxBytes: 5242880,
      humidityBelow: 35.5,
      deadLetterQueueUrl: good.DEAD_LETTER_QUEUE_URL,
      topicArn: good.ALERT_TOPIC_ARN,
      candidates: ['RED', 'GREEN', 'BLUE'],
      authSecret: undefined,
    });
  });

  it('names every missing or malformed variable in one error', () => {
    const bad = {
      ...good,
      TRACKING_EVENTS_TABLE: undefined,
      MAX_MARKDOWN_BYTES: 'abc',
      HUMIDITY_ALERT_BELOW: '35%',
      DEAD_LETTER_QUEUE_URL: 'queue',
      ALERT_TOPIC_ARN: 'AlertTopic',
      CANDIDATES: ' , ',
    };
    expect(() => readConfig(schema, bad)).toThrow(
      new Error(
        "environment: TRACKING_EVENTS_TABLE is missing; MAX_MARKDOWN_BYTES is not a positive integer ('abc'); " +
          "HUMIDITY_ALERT_BELOW is not a number ('35%'); DEAD_LETTER_QUEUE_URL is not an http(s) URL ('queue'); " +
          "ALERT_TOPIC_ARN is not an ARN ('AlertTopic'); CANDIDATES is not a comma-separated list (' , ')",
      ),
    );
  });

  it.each([['0'], ['-3'], ['1.5'], ['1e3'], [' '], ['9007199254740993']])('refuses %j as a positive integer', (raw) => {
    expect(positiveInt('N').read(raw).ok).toBe(false);
  });

  it('counts an empty variable as missing, except an optional one', () => {
    expect(() => readConfig({ table: string('TABLE') }, { TABLE: '' })).toThrow('environment: TABLE is missing');
    expect(readConfig({ secret: optional(string('SECRET')) }, { SECRET: '' })).toEqual({ secret: undefined });
  });

  it('cuts a long malformed value short in the error', () => {
    expect(() => readConfig({ n: number('N') }, { N: 'x'.repeat(100) })).toThrow(
      `N is not a number ('${'x'.repeat(37)}...')`,
    );
  });
});

describe('envConfig', () => {
  it('reads process.env on first use, not when declared, and keeps the answer', () => {
    const name = 'CONFIG_TEST_TABLE';
    delete process.env[name];
    const config = envConfig({ table: string(name) });
    expect(() => config()).toThrow(`environment: ${name} is missing`);
    process.env[name] = 'first';
    expect(config().table).toBe('first');
    process.env[name] = 'second';
    expect(config().table).toBe('first');
    delete process.env[name];
  });
});
