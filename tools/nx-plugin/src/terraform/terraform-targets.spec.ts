import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calledModules, terraformProject, terraformProjectName } from './terraform-targets';

describe('Terraform projects under infra/', () => {
  let workspace: string;

  beforeAll(() => {
    workspace = mkdtempSync(join(tmpdir(), 'shelfwatch-plugin-'));
    mkdirSync(join(workspace, 'infra/shop'), { recursive: true });
    mkdirSync(join(workspace, 'infra/modules/service'), { recursive: true });
    mkdirSync(join(workspace, 'apps/shop'), { recursive: true });
    writeFileSync(join(workspace, 'apps/shop/Dockerfile'), 'FROM scratch\n');
    writeFileSync(
      join(workspace, 'infra/shop/main.tf'),
      `module "service" {
  source = "../modules/service"
}
module "again" {
  source = "../modules/service"
}
module "registry" {
  source  = "terraform-google-modules/kms/google"
  version = "~> 4.0"
}
`,
    );
    writeFileSync(join(workspace, 'infra/modules/service/main.tf'), 'locals {}\n');
  });

  afterAll(() => rmSync(workspace, { recursive: true, force: true }));

  it('names stacks infra-<name> and modules infra-module-<name>', () => {
    expect(terraformProjectName('infra/api')).toBe('infra-api');
    expect(terraformProjectName('infra/modules/service')).toBe('infra-module-service');
  });

  it('reads the local modules a stack calls from its source lines, once each', async () => {
    expect(await calledModules(workspace, 'infra/shop')).toEqual(['infra/modules/service']);
  });

  it('makes a stack depend on its app and its modules, with plan and apply per environment', async () => {
    const project = await terraformProject(workspace, 'infra/shop');
    expect(project.name).toBe('infra-shop');
    expect(project.implicitDependencies).toEqual(['shop', 'infra-module-service']);
    expect(Object.keys(project.targets ?? {})).toEqual([
      'tf-fmt',
      'tf-validate',
      'tf-plan',
      'tf-apply',
    ]);
    expect(project.targets?.['tf-plan'].configurations).toEqual({
      dev: { args: '--env=dev' },
      prod: { args: '--env=prod' },
    });
  });

  it('gives a module only fmt and validate', async () => {
    const project = await terraformProject(workspace, 'infra/modules/service');
    expect(project.implicitDependencies).toEqual([]);
    expect(Object.keys(project.targets ?? {})).toEqual(['tf-fmt', 'tf-validate']);
  });

  it('fails on a file that is not HCL, naming it', async () => {
    writeFileSync(join(workspace, 'infra/shop/broken.tf'), 'module "x" {\n  source =\n}\n');
    await expect(calledModules(workspace, 'infra/shop')).rejects.toThrow(
      /infra\/shop\/broken\.tf is not valid HCL/,
    );
    rmSync(join(workspace, 'infra/shop/broken.tf'));
  });
});
