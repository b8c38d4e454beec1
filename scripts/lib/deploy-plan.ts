/**
 * The steps of `npm run deploy` (scripts/deploy.ts), as data: what runs, in which order, with which arguments, so
 * `--dry-run` can print them and a unit test can check them without Docker or AWS.
 */
export interface DeployStep {
  title: string;
  command: string[];
  /** The output of this earlier step (by title) goes to this one's stdin (the ECR password to docker login). */
  stdinFrom?: string;
}

export interface DeployPlanInput {
  /** Options passed through to `serverless deploy` (e.g. --stage prod --region eu-west-1). */
  serverlessArgs: string[];
  stage: string;
  region: string;
  /** Content hash of the tracker bundle: the image tag (the repository's tags are immutable). */
  imageTag: string;
  /** The stack's TrackerRepositoryUri output; undefined before the first deploy, which creates the repository. */
  repositoryUri?: string;
  /** The tag is already in the repository (same bundle as a previous deploy): build and push are skipped. */
  imagePushed?: boolean;
}

export const REPOSITORY_PLACEHOLDER = '<TrackerRepositoryUri>';

/** serverless deploy, then (unless pushed already) build and push the arm64 image, deploy with its tag, publish web/. */
export function deployPlan(input: DeployPlanInput): DeployStep[] {
  const repository = input.repositoryUri ?? REPOSITORY_PLACEHOLDER;
  const image = `${repository}:${input.imageTag}`;
  const location = ['--stage', input.stage, '--region', input.region];
  const steps: DeployStep[] = [];
  // First deploy: no repository yet. Deploy without an image (no service; /event/* stays on trackEvent).
  if (!input.repositoryUri)
    steps.push({
      title: 'create the stack without the tracking service',
      command: ['serverless', 'deploy', ...input.serverlessArgs, '--param', 'trackerImageTag='],
    });
  if (!input.imagePushed) {
    steps.push(
      { title: 'ECR password', command: ['aws', 'ecr', 'get-login-password', '--region', input.region] },
      {
        title: 'docker login to ECR',
        command: ['docker', 'login', '--username', 'AWS', '--password-stdin', repository.split('/')[0]!],
        stdinFrom: 'ECR password',
      },
      {
        title: 'build and push the tracker image (linux/arm64)',
        command: ['docker', 'buildx', 'build', '--platform', 'linux/arm64', '--tag', image, '--push', '.'],
      },
    );
  }
  steps.push(
    // The new tag makes a new task definition: ECS rolls the service, and its circuit breaker rolls back a bad image.
    {
      title: 'deploy the stack with the image',
      command: ['serverless', 'deploy', ...input.serverlessArgs, '--param', `trackerImageTag=${input.imageTag}`],
    },
    { title: 'publish web/', command: ['node', 'scripts/deploy-web.ts', ...location] },
  );
  return steps;
}

/** One line per step, as --dry-run prints them. */
export function describePlan(steps: DeployStep[]): string {
  return steps
    .map(
      (step, index) =>
        `${index + 1}. ${step.title}\n   $ ${step.stdinFrom ? `(${step.stdinFrom}) | ` : ''}${step.command.join(' ')}`,
    )
    .join('\n');
}
