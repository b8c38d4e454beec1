// Which kept failures belong to which pipeline, by logical id; resolved to physical names of a stack.

export interface PipelineSpec {
  queue?: string;
  /** Logical ids of the sources whose letters in `queue` belong to the pipeline ([] = every letter). */
  sources: Array<{ stream: string; attribute: 'Arn' | 'StreamArn' }>;
  /** Functions whose failed batches (FailedBatchesBucket) belong to the pipeline. */
  functions: string[];
  /** Records of a DynamoDB stream cannot be put back: they go through this function again. */
  invokeThrough?: { stream: string; functionName: string };
  /** Printed instead of a redrive. */
  note?: string;
}

export const PIPELINES: Record<string, PipelineSpec> = {
  votes: {
    queue: 'VotesDeadLetterQueue',
    sources: [{ stream: 'VoteApp', attribute: 'StreamArn' }],
    functions: ['aggregateVotes'],
    invokeThrough: { stream: 'VoteApp', functionName: 'aggregateVotes' },
  },
  tracking: {
    queue: 'TrackingDeadLetterQueue',
    sources: [{ stream: 'TrackingEventStream', attribute: 'Arn' }],
    functions: ['persistTrackingEvents'],
  },
  coredata: {
    queue: 'TrackingDeadLetterQueue',
    sources: [{ stream: 'CoreDataStream', attribute: 'Arn' }],
    functions: ['updateCoreData'],
  },
  files: { queue: 'FilesDeadLetterQueue', sources: [], functions: [] },
  iot: {
    queue: 'IotDeadLetterQueue',
    sources: [{ stream: 'SensorEventStream', attribute: 'Arn' }],
    functions: ['storeSensorReadings', 'archiveSensorReadings'],
  },
  activity: {
    queue: 'ActivityDeadLetterQueue',
    sources: [{ stream: 'ActivityStream', attribute: 'Arn' }],
    functions: ['processActivityEvents'],
  },
  notes: {
    queue: 'NotesDeadLetterQueue',
    sources: [{ stream: 'Notes', attribute: 'StreamArn' }],
    functions: ['indexNotes'],
    invokeThrough: { stream: 'Notes', functionName: 'indexNotes' },
  },
  logging: {
    sources: [],
    functions: [],
    note: 'logging: nothing to redrive here. LogStream is read by Firehose, not by a Lambda mapping: records transformLogRecords could not turn into NDJSON, and deliveries that failed, are kept by Firehose itself in CentralLogBucket under errors/<error type>/… (see README, Central logging).',
  },
};
