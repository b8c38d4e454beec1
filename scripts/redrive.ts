// `npm run redrive -- <pipeline> [--dry-run] [--stage s] [--region r]`
// After the cause of failures is fixed, replays what a pipeline kept: the letters of its dead-letter queue
// and the failed batches its stream mappings left in FailedBatchesBucket. Kinesis records go back onto their
// stream (PutRecords, refused entries retried); DynamoDB-stream records (votes, notes) cannot be written to
// a table stream, so the function is invoked again with the kept batch (its consumers are idempotent);
// files: the async invocation record's event is sent to the function again. A letter or object is deleted
// only once its replay was accepted. Without --region: the running local cloud (.local/endpoints.json);
// with --region (and --stage, default dev): the deployed stack refarch-<stage>, found through CloudFormation.
import { parseArgs } from 'node:util';
import { fail, readEndpoints } from './lib/local-cloud.ts';
import { PIPELINES } from './lib/redrive/plan.ts';
import { redrive } from './lib/redrive/run.ts';
import { awsStack, localStack, planFor } from './lib/redrive/target.ts';

const usage = `usage: npm run redrive -- <pipeline> [--dry-run] [--stage s] [--region r]\npipelines: ${Object.keys(PIPELINES).join(', ')}`;
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'dry-run': { type: 'boolean' },
    stage: { type: 'string' },
    region: { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help) fail(usage, 0);
const pipeline = positionals[0];
const spec = pipeline ? PIPELINES[pipeline] : undefined;
if (!pipeline || !spec || positionals.length > 1)
  fail(`${pipeline && !spec ? `unknown pipeline ${pipeline}\n` : ''}${usage}`);
if (spec.note) fail(spec.note, 0);

const stage = values.stage ?? 'dev';
const stack = values.region
  ? await awsStack(`refarch-${stage}`, values.region)
  : await localStack(
      readEndpoints() ??
        fail('no .local/endpoints.json: start the local cloud (npm start), or pass --region for a deployed stack'),
      stage,
    );
const plan = await planFor(pipeline, spec, stack).catch((error: Error) =>
  fail(`cannot find the ${pipeline} pipeline of ${stack.stackName}: ${error.message}`),
);
console.log(
  `redrive ${pipeline} on ${stack.stackName}${values.region ? ` (${values.region})` : ' (local cloud)'}${values['dry-run'] ? ', dry run: nothing is replayed or deleted' : ''}`,
);
if (plan.queue) console.log(`  dead letters: ${plan.queue.url}`);
if (plan.failedBatches)
  console.log(
    `  failed batches: s3://${plan.failedBatches.bucket}/aws/lambda/… of ${plan.failedBatches.functions.join(', ')}`,
  );
const summary = await redrive(plan, stack.target, { dryRun: values['dry-run'], log: (line) => console.log(line) });
const { found, replayed, left } = summary;
console.log(`found:    ${found.letters} letter(s), ${found.batches} failed batch(es), ${found.records} record(s)`);
console.log(
  `replayed: ${replayed.letters} letter(s), ${replayed.batches} failed batch(es), ${replayed.records} record(s)${summary.dryRun ? ' (dry run)' : ''}`,
);
console.log(`left:     ${left.length}`);
for (const item of left.slice(0, 20)) console.log(`  ${item.what}: ${item.reason}`);
if (left.length > 20) console.log(`  … and ${left.length - 20} more`);
process.exit(!summary.dryRun && left.some((item) => !item.reason.startsWith('a file that cannot')) ? 1 : 0);
