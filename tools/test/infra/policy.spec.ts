import { topicFor, topics } from '@shelfwatch/contracts';
import { deadLetterTopicFor } from '@shelfwatch/messaging';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  blocksOf,
  loadTerraformTree,
  moduleSource,
  parseTerraform,
  type TerraformFile,
} from '@shelfwatch/nx-plugin';
import {
  checkPolicy,
  completePushSubscriptions,
  deadLettersKept,
  documentedVariables,
  noBasicRoles,
  noSecretValues,
  ownServiceAccounts,
  protectedCloudSql,
  type PolicyRule,
} from '../../infra/policy';
import { workspaceRoot } from '@shelfwatch/testing';
import { nxWorkspace } from '../nx-workspace';

const infraRoot = join(workspaceRoot, 'infra');
const appStacks = ['api', 'scraper', 'analytics', 'notifier'];

/** Parses snippets as the files of one stack (`stack/<name>`). */
async function stack(files: Record<string, string>): Promise<TerraformFile[]> {
  return Promise.all(
    Object.entries(files).map(([name, text]) => parseTerraform(`stack/${name}`, text)),
  );
}

/** A rule's violations over `files` as `where: message` lines, in a stable order. */
function report(rule: PolicyRule, files: TerraformFile[]): string[] {
  return rule(files)
    .map((violation) => `${violation.where}: ${violation.message}`)
    .sort();
}

async function messages(rule: PolicyRule, text: string): Promise<string[]> {
  return report(rule, await stack({ 'main.tf': text }));
}

/** Nx's projects under infra/ by folder (relative to infra/), as the workspace plugin infers them. */
function infraProjects(): Map<string, { name: string; implicitDependencies?: string[] }> {
  return new Map(
    Object.values(nxWorkspace().projects)
      .filter((project) => project.root.startsWith('infra/'))
      .map((project) => [project.root.slice('infra/'.length), project]),
  );
}

describe('the infra tree', () => {
  let files: TerraformFile[];

  beforeAll(async () => {
    files = await loadTerraformTree(infraRoot);
  });

  it('parses every stack and module', () => {
    const modules = new Set(files.map((file) => file.module));
    for (const folder of [
      'platform',
      ...appStacks,
      'modules/cloud-run-service',
      'modules/push-subscription',
      'modules/pubsub-topic',
      'modules/service',
    ])
      expect(modules).toContain(folder);
  });

  it('breaks no policy rule', () => {
    expect(checkPolicy(files)).toEqual([]);
  });

  const terraformInstalled = spawnSync('terraform', ['version']).status === 0;
  // CI machines have terraform; there, a missing binary is a failure rather than a skip.
  (terraformInstalled || process.env.CI === 'true' ? it : it.skip)(
    'is formatted as terraform fmt writes it',
    () => {
      const result = spawnSync('terraform', ['fmt', '-check', '-diff', '-recursive', infraRoot], {
        encoding: 'utf8',
      });
      expect(result.error).toBeUndefined();
      expect(`${result.stdout}`).toBe('');
      expect(result.status).toBe(0);
    },
  );
  if (!terraformInstalled)
    console.warn('terraform is not installed: the terraform fmt check was skipped');

  it('creates exactly the topics of the contracts registry', () => {
    const declared = JSON.parse(
      readFileSync(join(infraRoot, 'platform/topics.json'), 'utf8'),
    ) as string[];
    expect([...declared].sort()).toEqual(
      Object.values(topics)
        .map((entry) => entry.topic)
        .sort(),
    );
  });

  it('names dead-letter topics as libs/messaging does', () => {
    const topicModule = blocksOf(files, 'resource', 'google_pubsub_topic').find(
      (block) => block.file.module === 'modules/pubsub-topic' && block.name === 'dead_letter',
    );
    expect(String(topicModule?.body.name).replace('${var.name}', 'scrape-requested')).toBe(
      deadLetterTopicFor('scrape-requested'),
    );
    const subscriptionModule = files.find(
      (file) => file.path === 'modules/push-subscription/main.tf',
    );
    const locals = (subscriptionModule?.json.locals as Array<Record<string, string>>)[0];
    expect(locals.dead_letter_topic.replace('${var.topic}', 'observation-recorded')).toBe(
      deadLetterTopicFor('observation-recorded'),
    );
  });

  it('subscribes each app to the events it consumes, at /pubsub/push/<subscription>', () => {
    // Each app stack hands its subscriptions to infra/modules/service.
    const subscriptionsOf = (app: string) =>
      blocksOf(
        files.filter((file) => file.module === app),
        'module',
      ).find((block) => moduleSource(block) === 'modules/service')?.body.subscriptions;
    expect(subscriptionsOf('scraper')).toEqual({
      'scraper.scrape-requested': topicFor('scrape.requested'),
    });
    expect(subscriptionsOf('analytics')).toEqual({
      'analytics.observation-recorded': topicFor('observation.recorded'),
      'analytics.scrape-failed': topicFor('scrape.failed'),
    });
    expect(subscriptionsOf('api')).toEqual({
      'api.products-discovered': topicFor('products.discovered'),
    });
    expect(subscriptionsOf('notifier')).toEqual({
      'notifier.alert-raised': topicFor('alert.raised'),
      'notifier.webhook-delivery-requested': topicFor('webhook.delivery-requested'),
    });
    const push = blocksOf(files, 'resource', 'google_pubsub_subscription').find(
      (block) => block.file.module === 'modules/push-subscription',
    );
    const endpoint = (push?.body.push_config as Array<Record<string, string>>)[0].push_endpoint;
    expect(endpoint).toMatch(/\/pubsub\/push\/\$\{var\.name\}$/);
  });

  it('gives every stack a graph edge to its app and to exactly the modules it calls', () => {
    const projects = infraProjects();
    const moduleProjects = new Map(
      [...projects].map(([folder, project]) => [folder, project.name] as const),
    );
    for (const folder of ['platform', ...appStacks]) {
      const called = blocksOf(
        files.filter((file) => file.module === folder),
        'module',
      ).map((block) => moduleProjects.get(moduleSource(block) ?? '') ?? moduleSource(block));
      const apps = appStacks.includes(folder) ? [folder] : [];
      expect([...(projects.get(folder)?.implicitDependencies ?? [])].sort()).toEqual(
        [...new Set([...apps, ...called])].sort(),
      );
    }
  });
});

describe('policy rules fail on what they forbid', () => {
  it('own-service-account: a service without an account, or two sharing one', async () => {
    expect(
      await messages(
        ownServiceAccounts,
        `
resource "google_cloud_run_v2_service" "a" {
  template {
    service_account = google_service_account.shared.email
  }
}
resource "google_cloud_run_v2_job" "b" {
  template {
    template {
      service_account = google_service_account.shared.email
    }
  }
}
resource "google_cloud_run_v2_service" "c" {
  template {}
}
module "d" {
  source                = "../modules/cloud-run-service"
  service_account_email = "123-compute@developer.gserviceaccount.com"
}
resource "google_service_account" "e" {
  account_id = "api-service"
}
resource "google_service_account" "f" {
  account_id = "api-service"
}`,
      ),
    ).toEqual([
      'stack/main.tf: google_cloud_run_v2_job.b: shares its service account ${google_service_account.shared.email} with stack/main.tf: google_cloud_run_v2_service.a',
      'stack/main.tf: google_cloud_run_v2_service.c: sets no service account, so it runs as the default compute account (Editor)',
      'stack/main.tf: google_service_account.f: creates account_id api-service again (also stack/main.tf: google_service_account.e): one account per workload',
      'stack/main.tf: module.d: runs as the default compute service account',
    ]);
    expect(
      await messages(
        ownServiceAccounts,
        `
resource "google_cloud_run_v2_service" "a" {
  template {
    service_account = google_service_account.a.email
  }
}
module "b" {
  source                = "../modules/cloud-run-service"
  service_account_email = google_service_account.b.email
}`,
      ),
    ).toEqual([]);
  });

  it('no-project-owner-or-editor: basic roles on the project, directly or through for_each', async () => {
    expect(
      await messages(
        noBasicRoles,
        `
resource "google_project_iam_member" "a" {
  project = "p"
  role    = "roles/editor"
  member  = "serviceAccount:api@p.iam.gserviceaccount.com"
}
resource "google_project_iam_member" "b" {
  for_each = toset(["roles/cloudsql.client", "roles/owner"])
  project  = "p"
  role     = each.value
  member   = "serviceAccount:api@p.iam.gserviceaccount.com"
}
resource "google_project_iam_binding" "c" {
  project = "p"
  role    = var.role
  members = []
}
resource "google_project_iam_member" "fine" {
  project = "p"
  role    = "roles/cloudsql.client"
  member  = "serviceAccount:api@p.iam.gserviceaccount.com"
}
resource "google_pubsub_topic_iam_member" "not_project_wide" {
  topic  = "t"
  role   = "roles/editor"
  member = "serviceAccount:api@p.iam.gserviceaccount.com"
}`,
      ),
    ).toEqual([
      'stack/main.tf: google_project_iam_binding.c: grants a role that is not written down (neither role nor for_each names it)',
      'stack/main.tf: google_project_iam_member.a: grants roles/editor on the whole project',
      'stack/main.tf: google_project_iam_member.b: grants roles/owner on the whole project',
    ]);
  });

  it('push-subscription: push without OIDC, retry policy or dead-letter policy', async () => {
    expect(
      await messages(
        completePushSubscriptions,
        `
resource "google_pubsub_subscription" "bare" {
  name  = "s"
  topic = "t"
  push_config {
    push_endpoint = "https://svc.example.com/pubsub/push/s"
  }
}
resource "google_pubsub_subscription" "no_audience" {
  name  = "s2"
  topic = "t"
  push_config {
    push_endpoint = "https://svc.example.com/pubsub/push/s2"
    oidc_token {
      service_account_email = "push@p.iam.gserviceaccount.com"
    }
  }
  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }
  dead_letter_policy {
    dead_letter_topic     = "projects/p/topics/t-dead-letter"
    max_delivery_attempts = 5
  }
}
resource "google_pubsub_subscription" "pull_is_not_checked" {
  name  = "t-dead-letter"
  topic = "t-dead-letter"
}`,
      ),
    ).toEqual([
      'stack/main.tf: google_pubsub_subscription.bare: push subscription lacks a dead-letter policy (dead_letter_policy with dead_letter_topic and max_delivery_attempts)',
      'stack/main.tf: google_pubsub_subscription.bare: push subscription lacks a retry policy (retry_policy with minimum_backoff and maximum_backoff)',
      'stack/main.tf: google_pubsub_subscription.bare: push subscription lacks an OIDC token (push_config.oidc_token with service_account_email and audience)',
      'stack/main.tf: google_pubsub_subscription.no_audience: push subscription lacks an OIDC token (push_config.oidc_token with service_account_email and audience)',
    ]);
  });

  it('dead-letter-subscription: a dead-letter topic nothing subscribes to', async () => {
    expect(
      await messages(
        deadLettersKept,
        `
resource "google_pubsub_topic" "orders_dead_letter" {
  name = "orders-dead-letter"
}
resource "google_pubsub_topic" "graveyard" {
  name = "graveyard"
}
resource "google_pubsub_subscription" "orders" {
  name  = "orders"
  topic = "orders"
  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.graveyard.id
    max_delivery_attempts = 5
  }
}
resource "google_pubsub_topic" "kept_dead_letter" {
  name = "kept-dead-letter"
}
resource "google_pubsub_subscription" "kept" {
  name  = "kept-dead-letter"
  topic = google_pubsub_topic.kept_dead_letter.id
}`,
      ),
    ).toEqual([
      'stack/main.tf: google_pubsub_topic.graveyard: is a dead-letter topic without a subscription: its messages would be dropped',
      'stack/main.tf: google_pubsub_topic.orders_dead_letter: is a dead-letter topic without a subscription: its messages would be dropped',
    ]);
  });

  it('no-secret-values: secrets in attributes, env, outputs, variables and variable files', async () => {
    const files = await stack({
      'main.tf': `
resource "google_sql_user" "app" {
  name     = "app"
  instance = "db"
  password = "hunter2-but-longer"
}
resource "google_secret_manager_secret_version" "key" {
  secret         = "s"
  secret_data_wo = "literal"
}
resource "google_cloud_run_v2_service" "svc" {
  template {
    service_account = "svc@p.iam.gserviceaccount.com"
    containers {
      image = "i"
      env {
        name  = "DATABASE_URL"
        value = var.database_url
      }
    }
  }
}
module "worker" {
  source                = "../modules/cloud-run-service"
  service_account_email = "worker@p.iam.gserviceaccount.com"
  env = {
    LOG_LEVEL = "info"
    API_TOKEN = var.token
  }
}
locals {
  url = "postgresql://app:s3cret@localhost/db"
}
output "password" {
  value     = google_sql_user.app.password
  sensitive = true
}
variable "database_url_token" {
  type        = string
  description = "d"
}`,
      'env/dev.tfvars': 'alert_api_key = "abc123"\n',
    });
    expect(report(noSecretValues, files)).toEqual([
      'stack/env/dev.tfvars:1: holds a secret-named attribute with a literal value',
      'stack/main.tf: google_cloud_run_v2_service.svc: sets DATABASE_URL as a plain value: read it from Secret Manager',
      'stack/main.tf: google_secret_manager_secret_version.key: writes a literal into secret_data_wo',
      'stack/main.tf: google_sql_user.app: sets password, which Terraform stores in state: use password_wo',
      'stack/main.tf: module.worker: sets API_TOKEN as a plain value: read it from Secret Manager',
      'stack/main.tf: output.password: is a sensitive output: secrets must not leave through outputs or state',
      'stack/main.tf: output.password: outputs a secret value',
      'stack/main.tf: var.database_url_token: holds a secret but is not ephemeral, so its value would reach state',
      'stack/main.tf:32: holds a URL with a password in it',
      'stack/main.tf:5: holds a secret-named attribute with a literal value',
    ]);
    expect(
      await messages(
        noSecretValues,
        `
ephemeral "random_password" "db" {
  length = 32
}
resource "google_sql_user" "app" {
  name                = "app"
  instance            = "db"
  password_wo         = ephemeral.random_password.db.result
  password_wo_version = 1
}
variable "webhook_secret" {
  type        = string
  description = "d"
  ephemeral   = true
}
variable "password_version" {
  type        = number
  description = "d"
}`,
      ),
    ).toEqual([]);
  });

  it('no-secret-values: a private key pasted into a file', async () => {
    expect(
      await messages(
        noSecretValues,
        'locals {\n  key = <<EOT\n-----BEGIN PRIVATE KEY-----\nMIIE\nEOT\n}\n',
      ),
    ).toEqual(['stack/main.tf:3: holds a private key']);
  });

  it('cloud-sql-protection: an instance without backups or deletion protection', async () => {
    expect(
      await messages(
        protectedCloudSql,
        `
resource "google_sql_database_instance" "db" {
  database_version    = "POSTGRES_17"
  deletion_protection = false
  settings {
    tier = "db-g1-small"
    backup_configuration {
      enabled = true
    }
  }
}`,
      ),
    ).toEqual([
      'stack/main.tf: google_sql_database_instance.db: needs deletion_protection = true (Terraform)',
      'stack/main.tf: google_sql_database_instance.db: needs settings.backup_configuration.point_in_time_recovery_enabled = true',
      'stack/main.tf: google_sql_database_instance.db: needs settings.deletion_protection_enabled = true (API)',
    ]);
  });

  it('variable-type-and-description: a variable without a type or a description', async () => {
    expect(
      await messages(
        documentedVariables,
        `
variable "untyped" {
  description = "What it is."
}
variable "undescribed" {
  type = string
}
variable "fine" {
  type        = number
  description = "What it is."
}`,
      ),
    ).toEqual([
      'stack/main.tf: var.undescribed: has no description',
      'stack/main.tf: var.untyped: has no type',
    ]);
  });
});
