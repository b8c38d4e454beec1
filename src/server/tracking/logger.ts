import { Logger } from '@aws-lambda-powertools/logger';

/** The tracking server's structured JSON logger (level from POWERTOOLS_LOG_LEVEL); never logs request data. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'tracking-server' });
