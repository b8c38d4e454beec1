import type { SqsService } from '../services/sqs.ts';
import type { CloudModel } from './model.ts';

interface StatsSources {
  model: CloudModel;
  runtime: { stats(): unknown[] };
  mappings: Array<{ stats(): { id: string } & Record<string, unknown> }>;
  sqs: SqsService;
  endpoints: Record<string, string>;
}

/** What the pipeline console shows: per mapping its counters and the depth of its dead-letter queue. */
export async function collectStats({ model, runtime, mappings, sqs, endpoints }: StatsSources) {
  const queueName = (arn?: string) => arn?.split(':').pop();
  return {
    mappings: mappings.map((mapping) => {
      const stats = mapping.stats();
      const spec = model.mappings.find((m) => m.id === stats.id);
      const dlq = queueName(spec?.onFailureArn);
      return {
        ...stats,
        source: spec?.sourceArn.split('/')[1] ?? spec?.sourceArn,
        dlq: dlq ? { name: dlq, depth: sqs.depth(dlq) } : null,
      };
    }),
    functions: runtime.stats(),
    queues: sqs.queueNames().map((name) => ({ name, depth: sqs.depth(name) })),
    endpoints,
  };
}
