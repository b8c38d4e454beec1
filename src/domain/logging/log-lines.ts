import type { DataMessage, LogEvent } from './subscription.ts';

/**
 * One delivered log line. The message stays the string the application logged, even when it is JSON:
 * re-parsing would change numbers and key order, and mix many schemas into one set of columns; a
 * query engine can still parse it (e.g. Athena json_extract) where it is wanted.
 */
export interface LogLine {
  timestamp: string;
  logGroup: string;
  logStream: string;
  owner: string;
  id: string;
  message: string;
}

export function logLine(message: DataMessage, event: LogEvent): string {
  const line: LogLine = {
    timestamp: new Date(event.timestamp).toISOString(),
    logGroup: message.logGroup,
    logStream: message.logStream,
    owner: message.owner,
    id: event.id,
    message: event.message,
  };
  return `${JSON.stringify(line)}\n`;
}

/** NDJSON of a data message: one line per log event, each ending in a newline, so records concatenate. */
export function logLines(message: DataMessage): string {
  return message.logEvents.map((event) => logLine(message, event)).join('');
}
