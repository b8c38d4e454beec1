import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { tracer } from '../../adapters/tracing.ts';
import { logger } from './logger.ts';

/**
 * The X-Ray subsegment of the handler (`## <handler>`, annotated with ColdStart and Service; errors
 * recorded). Responses are not recorded: they may hold personal data. The first middleware of every function.
 */
export const traceHandler = () => captureLambdaHandler(tracer, { captureResponse: false });

/** A non-HTTP function (stream, SNS, Firehose) in middy: traced, then Powertools logging with the Lambda context. */
export function observedHandler<Event, Result>(handler: (event: Event, context: Context) => Promise<Result>) {
  return middy(handler).use(traceHandler()).use(injectLambdaContext(logger, { resetKeys: true }));
}
