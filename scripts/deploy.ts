/**
 * `npm run deploy -- [--stage prod] [--region eu-west-1] [--dry-run] [other serverless options]`: deploys the stack
 * with `serverless deploy`, builds the tracking server's image (Dockerfile, linux/arm64) and pushes it to the stack's
 * ECR repository under a content-addressed tag, deploys again with that tag so the ECS service rolls, then publishes
 * web/ for the same stage and region. The first deploy runs twice (the repository must exist before an image can be
 * pushed to it): README "Tracking service". --dry-run prints the steps without running anything.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { buildTracker } from './build-tracker.ts';
import { deployPlan, describePlan, type DeployStep } from './lib/deploy-plan.ts';

const args = process.argv.slice(2);
const { values } = parseArgs({
  args,
  strict: false,
  options: { stage: { type: 'string' }, region: { type: 'string' }, 'dry-run': { type: 'boolean' } },
});
const stage = typeof values.stage === 'string' ? values.stage : 'dev';
const region = typeof values.region === 'string' ? values.region : 'us-east-1';
const serverlessArgs = args.filter((arg) => arg !== '--dry-run');

/** The tag: a hash of the bundle the image runs, so an unchanged server is not rebuilt or re-rolled. */
const imageTag = createHash('sha256')
  .update(readFileSync(await buildTracker()))
  .digest('hex')
  .slice(0, 16);

if (values['dry-run']) {
  console.log(
    `npm run deploy (dry run, image tag ${imageTag}): on a first deploy all of these; later, step 1 is skipped\n`,
  );
  console.log(describePlan(deployPlan({ serverlessArgs, stage, region, imageTag })));
} else {
  const repositoryUri = await stackOutput(`refarch-${stage}`, region, 'TrackerRepositoryUri');
  const imagePushed = repositoryUri ? await tagExists(repositoryUri, imageTag, region) : false;
  const steps = deployPlan({ serverlessArgs, stage, region, imageTag, repositoryUri, imagePushed });
  runSteps(steps, async () => stackOutput(`refarch-${stage}`, region, 'TrackerRepositoryUri'));
}

async function stackOutput(stackName: string, stackRegion: string, key: string): Promise<string | undefined> {
  const client = new CloudFormationClient({ region: stackRegion });
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    return Stacks?.[0]?.Outputs?.find((output) => output.OutputKey === key)?.OutputValue;
  } catch {
    return undefined; // no stack yet
  } finally {
    client.destroy();
  }
}

async function tagExists(repositoryUri: string, tag: string, tagRegion: string): Promise<boolean> {
  const repositoryName = repositoryUri.split('/').slice(1).join('/');
  const { status } = spawnSync(
    'aws',
    [
      'ecr',
      'describe-images',
      '--region',
      tagRegion,
      '--repository-name',
      repositoryName,
      '--image-ids',
      `imageTag=${tag}`,
    ],
    { stdio: 'ignore' },
  );
  return status === 0;
}

/** Runs the steps in order; after the first deploy the placeholder repository is the one the stack now has. */
function runSteps(steps: DeployStep[], repository: () => Promise<string | undefined>): void {
  const outputs = new Map<string, Buffer>();
  let resolved: Promise<string | undefined> | undefined;
  const serverless = createRequire(import.meta.url).resolve('osls/bin/serverless.js');
  void (async () => {
    for (const step of steps) {
      let command = step.command;
      if (command.some((part) => part.includes('<TrackerRepositoryUri>'))) {
        resolved ??= repository();
        const uri = await resolved;
        if (!uri) throw new Error('the stack has no TrackerRepositoryUri output after the first deploy');
        command = command.map((part) => part.replace('<TrackerRepositoryUri>', uri));
      }
      const [program, ...rest] =
        command[0] === 'serverless'
          ? [process.execPath, serverless, ...command.slice(1)]
          : command[0] === 'node'
            ? [process.execPath, ...command.slice(1)]
            : command;
      console.log(`\n> ${step.title}`);
      const input = step.stdinFrom ? outputs.get(step.stdinFrom) : undefined;
      const result = spawnSync(program!, rest, {
        stdio: [
          input ? 'pipe' : 'inherit',
          step.stdinFrom || !steps.some((s) => s.stdinFrom === step.title) ? 'inherit' : 'pipe',
          'inherit',
        ],
        input,
      });
      if (result.status !== 0) process.exit(result.status ?? 1);
      if (result.stdout) outputs.set(step.title, result.stdout);
    }
  })().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
