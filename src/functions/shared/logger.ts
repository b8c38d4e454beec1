import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The structured JSON logger of every function (service name from POWERTOOLS_SERVICE_NAME, level
 * from POWERTOOLS_LOG_LEVEL). Never log request bodies, phone numbers or other personal data.
 */
export const logger = new Logger();
