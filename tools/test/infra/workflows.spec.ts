import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { workspaceRoot } from '@shelfwatch/testing';

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}

interface Job {
  needs?: string | string[];
  uses?: string;
  with?: Record<string, unknown>;
  environment?: string;
  steps?: Step[];
}

interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

function workflow(name: string): Workflow {
  return parse(readFileSync(join(workspaceRoot, '.github/workflows', name), 'utf8')) as Workflow;
}

/** Index of the first step matching, failing the test when there is none. */
function stepIndex(steps: Step[], what: string, matches: (step: Step) => boolean): number {
  const index = steps.findIndex(matches);
  if (index < 0) throw new Error(`no step ${what}`);
  return index;
}

const runs = (text: string) => (step: Step) => step.run?.includes(text) ?? false;
const uses = (action: string) => (step: Step) => step.uses?.startsWith(`${action}@`) ?? false;
const needs = (job: Job) => (Array.isArray(job.needs) ? job.needs : job.needs ? [job.needs] : []);

describe('the pull-request workflow', () => {
  const pr = workflow('pr.yml');
  const steps = pr.jobs.affected.steps ?? [];

  it('runs on pull requests to main', () => {
    expect(pr.on.pull_request).toEqual({ branches: ['main'] });
  });

  it('installs with npm ci and sets the affected range before running nx affected', () => {
    const install = stepIndex(steps, 'running npm ci', runs('npm ci'));
    const shas = stepIndex(steps, 'using nrwl/nx-set-shas', uses('nrwl/nx-set-shas'));
    const affected = stepIndex(steps, 'running nx affected', runs('nx affected -t lint'));
    expect(install).toBeLessThan(shas);
    expect(shas).toBeLessThan(affected);
  });

  it('runs lint, typecheck, test, e2e, build and docker-build on the affected projects', () => {
    const command = steps[stepIndex(steps, 'running nx affected', runs('nx affected -t lint'))].run;
    const targets = /nx affected -t ([\w\s-]+?)(?:\s--|$)/.exec(command ?? '')?.[1].split(/\s+/);
    expect(targets).toEqual(['lint', 'typecheck', 'test', 'e2e', 'build', 'docker-build']);
  });

  it('smoke-tests the containers after building them', () => {
    const affected = stepIndex(steps, 'running nx affected', runs('nx affected -t lint'));
    const smoke = stepIndex(
      steps,
      'running the container smoke test',
      runs('npx tsx tools/container/smoke-test.ts'),
    );
    expect(affected).toBeLessThan(smoke);
  });

  it('checks Terraform formatting, validity and the infra policy', () => {
    stepIndex(steps, 'running tf-fmt and tf-validate', runs('nx affected -t tf-fmt tf-validate'));
    stepIndex(steps, 'running the policy tests', runs('tools/test/infra/policy.spec.ts'));
  });
});

describe('the deploy workflow', () => {
  const deploy = workflow('deploy.yml');
  const environment = workflow('deploy-environment.yml');
  const steps = environment.jobs.deploy.steps ?? [];

  it('runs on pushes to main with an OIDC token for Workload Identity Federation', () => {
    expect(deploy.on.push).toEqual({ branches: ['main'] });
    expect(deploy.permissions?.['id-token']).toBe('write');
    expect(environment.permissions?.['id-token']).toBe('write');
  });

  it('deploys dev first and prod only after dev, each as a GitHub environment', () => {
    const { dev, prod } = deploy.jobs;
    for (const job of [dev, prod]) {
      expect(job.uses).toBe('./.github/workflows/deploy-environment.yml');
      expect(existsSync(join(workspaceRoot, job.uses as string))).toBe(true);
    }
    expect(dev.with?.environment).toBe('dev');
    expect(prod.with?.environment).toBe('prod');
    expect(needs(prod)).toContain('dev');
    expect(needs(dev)).not.toContain('prod');
    expect(environment.jobs.deploy.environment).toBe('${{ inputs.environment }}');
  });

  it('authenticates, pushes images, migrates, and only then plans and applies the app stacks', () => {
    const auth = stepIndex(steps, 'authenticating', uses('google-github-actions/auth'));
    expect(steps[auth].with).toHaveProperty('workload_identity_provider');
    const push = stepIndex(steps, 'pushing images', runs('infra/deploy_images.sh'));
    const platform = stepIndex(steps, 'applying the platform', runs('infra-platform:tf-apply'));
    const migrate = stepIndex(steps, 'running migrations', runs('infra-api:migrate-job'));
    const apps = stepIndex(steps, 'applying the app stacks', runs(':tf-apply" -c'));
    expect(auth).toBeLessThan(push);
    expect(push).toBeLessThan(platform);
    expect(platform).toBeLessThan(migrate);
    expect(migrate).toBeLessThan(apps);
    for (const index of [platform, apps]) {
      const script = steps[index].run ?? '';
      expect(script.indexOf('tf-plan')).toBeGreaterThanOrEqual(0);
      expect(script.indexOf('tf-plan')).toBeLessThan(script.indexOf('tf-apply'));
    }
  });

  it('names only scripts that exist', () => {
    for (const script of ['infra/deploy_images.sh', 'tools/infra/affected-stacks.ts'])
      expect(existsSync(join(workspaceRoot, script))).toBe(true);
  });
});
