import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { traceHandler } from '../../adapters/tracing.ts';
import { logger } from './logger.ts';

/** The X-Ray subsegment of the handler (adapters/tracing.ts): the first middleware of every function. */
export { traceHandler };

/** A non-HTTP function (stream, SNS, Firehose) in middy: traced, then Powertools logging with the Lambda context. */
export function observedHandler<Event, Result>(handler: (event: Event, context: Context) => Promise<Result>) {
  return middy(handler)
    .use(traceHandler())
    .use(injectLambdaContext(logger, { resetKeys: true }));
}
