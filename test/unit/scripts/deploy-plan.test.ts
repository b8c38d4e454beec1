import { describe, expect, it } from 'vitest';
import { deployPlan, describePlan, REPOSITORY_PLACEHOLDER } from '../../../scripts/lib/deploy-plan.ts';

const base = { serverlessArgs: ['--stage', 'prod'], stage: 'prod', region: 'eu-west-1', imageTag: '0123abcd0123abcd' };
const uri = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/refarch-prod-tracker';
const titles = (steps: ReturnType<typeof deployPlan>) => steps.map((step) => step.title);

describe('npm run deploy: the step plan', () => {
  it('on a first deploy, creates the stack without the service, then pushes the image and deploys with its tag', () => {
    const steps = deployPlan(base);
    expect(titles(steps)).toEqual([
      'create the stack without the tracking service',
      'ECR password',
      'docker login to ECR',
      'build and push the tracker image (linux/arm64)',
      'deploy the stack with the image',
      'publish web/',
    ]);
    expect(steps[0]!.command).toEqual(['serverless', 'deploy', '--stage', 'prod', '--param', 'trackerImageTag=']);
    expect(steps[3]!.command).toEqual([
      'docker',
      'buildx',
      'build',
      '--platform',
      'linux/arm64',
      '--tag',
      `${REPOSITORY_PLACEHOLDER}:0123abcd0123abcd`,
      '--push',
      '.',
    ]);
    expect(steps[4]!.command).toEqual([
      'serverless',
      'deploy',
      '--stage',
      'prod',
      '--param',
      'trackerImageTag=0123abcd0123abcd',
    ]);
  });

  it('once the repository exists, deploys once, logging in to its registry with the password on stdin', () => {
    const steps = deployPlan({ ...base, repositoryUri: uri });
    expect(titles(steps)[0]).toBe('ECR password');
    expect(steps[0]!.command).toEqual(['aws', 'ecr', 'get-login-password', '--region', 'eu-west-1']);
    expect(steps[1]).toEqual({
      title: 'docker login to ECR',
      command: [
        'docker',
        'login',
        '--username',
        'AWS',
        '--password-stdin',
        '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      ],
      stdinFrom: 'ECR password',
    });
    expect(steps[2]!.command).toContain(`${uri}:0123abcd0123abcd`);
  });

  it('skips build and push when the tag is already in the repository (the same bundle)', () => {
    expect(titles(deployPlan({ ...base, repositoryUri: uri, imagePushed: true }))).toEqual([
      'deploy the stack with the image',
      'publish web/',
    ]);
  });

  it('prints one numbered step per line with its command (--dry-run)', () => {
    const text = describePlan(deployPlan({ ...base, repositoryUri: uri }));
    expect(text).toContain(
      '2. docker login to ECR\n   $ (ECR password) | docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-1.amazonaws.com',
    );
    expect(text).toContain('5. publish web/\n   $ node scripts/deploy-web.ts --stage prod --region eu-west-1');
  });
});
