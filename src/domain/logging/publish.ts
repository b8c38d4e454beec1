import type { DataMessage } from './subscription.ts';

export interface PublishOptions {
  /** Log events in all (spread over the groups), at least 1. */
  events: number;
  /** Log groups, at least 1. */
  groups: number;
  /** Names the run: log groups are `/aws/lambda/<runId>-<n>`, so a run's lines can be told apart. */
  runId: string;
  owner: string;
  nowMs: number;
  /** Log events per data message at most (CloudWatch batches a group's events the same way). */
  eventsPerMessage?: number;
}

/**
 * The data messages a subscription filter would send for `events` log events of `groups` Lambda log
 * groups: structured JSON lines like our functions write, one per event, ids unique within the run.
 */
export function sampleDataMessages(options: PublishOptions): DataMessage[] {
  const perMessage = options.eventsPerMessage ?? 25;
  const byGroup = Array.from({ length: options.groups }, (): number[] => []);
  for (let n = 0; n < options.events; n += 1) byGroup[n % options.groups]!.push(n);
  const messages: DataMessage[] = [];
  byGroup.forEach((numbers, group) => {
    for (let start = 0; start < numbers.length; start += perMessage) {
      messages.push({
        messageType: 'DATA_MESSAGE',
        owner: options.owner,
        logGroup: `/aws/lambda/${options.runId}-${group + 1}`,
        logStream: `${new Date(options.nowMs).toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${options.runId}`,
        subscriptionFilters: ['central-logging'],
        logEvents: numbers.slice(start, start + perMessage).map((n) => ({
          id: eventId(options.nowMs, n),
          timestamp: options.nowMs + n,
          message: JSON.stringify({
            level: 'INFO',
            message: 'request handled',
            service: `${options.runId}-${group + 1}`,
            timestamp: new Date(options.nowMs + n).toISOString(),
            sequence: n,
          }),
        })),
      });
    }
  });
  return messages;
}

/** CloudWatch's event ids are 56-digit strings; ours are unique per run and event number. */
function eventId(nowMs: number, n: number): string {
  return `${String(nowMs).padStart(20, '0')}${String(n).padStart(36, '0')}`;
}

/** The health check CloudWatch Logs sends when a subscription is created. */
export function controlMessage(nowMs: number) {
  return {
    messageType: 'CONTROL_MESSAGE',
    owner: 'CloudwatchLogs',
    logGroup: '',
    logStream: '',
    subscriptionFilters: [],
    logEvents: [
      { id: '', timestamp: nowMs, message: 'CWL CONTROL MESSAGE: Checking health of destination Kinesis stream.' },
    ],
  };
}
