/**
 * Policy rules over parsed Terraform (see hcl.ts). Each rule reads a whole tree, because some
 * rules compare blocks across files (two services sharing one account, a dead-letter topic and
 * its subscription), and returns its violations; an empty list means the rule holds.
 *
 * The rules judge what is written, not what a plan would compute: a value that is an
 * expression is accepted where a reference is expected and rejected where the rule needs a
 * literal to be reviewable (roles, protection flags).
 */
import {
  blocksOf,
  isExpression,
  nested,
  nestedAll,
  where,
  type Block,
  type Body,
  type TerraformFile,
} from '@shelfwatch/nx-plugin';

export interface Violation {
  rule: string;
  where: string;
  message: string;
}

export type PolicyRule = (files: TerraformFile[]) => Violation[];

/* ---------- each workload runs as its own service account ---------- */

interface Workload {
  block: Block;
  account: unknown;
}

function workloads(files: TerraformFile[]): Workload[] {
  return [
    ...blocksOf(files, 'resource', 'google_cloud_run_v2_service').map((block) => ({
      block,
      account: nested(block.body, 'template')?.service_account,
    })),
    ...blocksOf(files, 'resource', 'google_cloud_run_v2_job').map((block) => ({
      block,
      account: nested(block.body, 'template', 'template')?.service_account,
    })),
    // A call of a service module (modules/cloud-run-service) is a workload too.
    ...blocksOf(files, 'module')
      .filter((block) => 'service_account_email' in block.body)
      .map((block) => ({ block, account: block.body.service_account_email })),
  ];
}

/** Two workloads are the same identity when they name the same literal, or the same expression within one module. */
function identityKey(file: TerraformFile, account: string): string {
  return isExpression(account) ? `${file.module}|${account}` : account.toLowerCase();
}

export const ownServiceAccounts: PolicyRule = (files) => {
  const rule = 'own-service-account';
  const violations: Violation[] = [];
  const seen = new Map<string, Block>();
  for (const { block, account } of workloads(files)) {
    if (typeof account !== 'string' || account.trim() === '') {
      violations.push({
        rule,
        where: where(block),
        message: 'sets no service account, so it runs as the default compute account (Editor)',
      });
      continue;
    }
    if (/-compute@developer\.gserviceaccount\.com$/i.test(account)) {
      violations.push({
        rule,
        where: where(block),
        message: 'runs as the default compute service account',
      });
      continue;
    }
    const key = identityKey(block.file, account);
    const first = seen.get(key);
    if (first)
      violations.push({
        rule,
        where: where(block),
        message: `shares its service account ${account} with ${where(first)}`,
      });
    else seen.set(key, block);
  }
  const accounts = new Map<string, Block>();
  for (const block of blocksOf(files, 'resource', 'google_service_account')) {
    const id = block.body.account_id;
    if (typeof id !== 'string') continue;
    const key = identityKey(block.file, id);
    const first = accounts.get(key);
    if (first)
      violations.push({
        rule,
        where: where(block),
        message: `creates account_id ${id} again (also ${where(first)}): one account per workload`,
      });
    else accounts.set(key, block);
  }
  return violations;
};

/* ---------- no project-wide basic roles ---------- */

const BASIC_ROLES = ['roles/owner', 'roles/editor'];
const WIDE_IAM = /^google_(project|folder|organization)_iam_(member|binding|policy)$/;

function rolesNamedIn(value: unknown): string[] {
  return JSON.stringify(value ?? null).match(/roles\/[A-Za-z0-9_.]+/g) ?? [];
}

export const noBasicRoles: PolicyRule = (files) => {
  const rule = 'no-project-owner-or-editor';
  const violations: Violation[] = [];
  const policies = blocksOf(files, 'data', 'google_iam_policy');
  for (const block of blocksOf(files, 'resource').filter((b) => WIDE_IAM.test(b.type))) {
    let roles: string[];
    if (block.type.endsWith('_policy')) {
      const referenced = policies.filter(
        (policy) =>
          policy.file.module === block.file.module &&
          String(block.body.policy_data).includes(`data.google_iam_policy.${policy.name}.`),
      );
      roles = referenced.flatMap((policy) =>
        nestedAll(policy.body, 'binding').flatMap((binding) => rolesNamedIn(binding.role)),
      );
    } else if (typeof block.body.role === 'string' && !isExpression(block.body.role)) {
      roles = [block.body.role];
    } else {
      // role = each.value: the roles are the literals of for_each.
      roles = rolesNamedIn(block.body.for_each);
      if (roles.length === 0) {
        violations.push({
          rule,
          where: where(block),
          message: 'grants a role that is not written down (neither role nor for_each names it)',
        });
        continue;
      }
    }
    for (const role of roles.filter((name) => BASIC_ROLES.includes(name)))
      violations.push({
        rule,
        where: where(block),
        message: `grants ${role} on the whole ${block.type.split('_')[1]}`,
      });
  }
  return violations;
};

/* ---------- push subscriptions: OIDC, retries, dead letters ---------- */

export const completePushSubscriptions: PolicyRule = (files) => {
  const rule = 'push-subscription';
  const violations: Violation[] = [];
  for (const block of blocksOf(files, 'resource', 'google_pubsub_subscription')) {
    const push = nested(block.body, 'push_config');
    if (!push) continue;
    const problems: string[] = [];
    const oidc = nested(push, 'oidc_token');
    if (!oidc?.service_account_email || !oidc.audience)
      problems.push(
        'an OIDC token (push_config.oidc_token with service_account_email and audience)',
      );
    const retry = nested(block.body, 'retry_policy');
    if (!retry?.minimum_backoff || !retry.maximum_backoff)
      problems.push('a retry policy (retry_policy with minimum_backoff and maximum_backoff)');
    const deadLetter = nested(block.body, 'dead_letter_policy');
    if (!deadLetter?.dead_letter_topic || !deadLetter.max_delivery_attempts)
      problems.push(
        'a dead-letter policy (dead_letter_policy with dead_letter_topic and max_delivery_attempts)',
      );
    for (const problem of problems)
      violations.push({ rule, where: where(block), message: `push subscription lacks ${problem}` });
  }
  return violations;
};

/* ---------- every dead-letter topic has a subscription ---------- */

export const deadLettersKept: PolicyRule = (files) => {
  const rule = 'dead-letter-subscription';
  const violations: Violation[] = [];
  const subscriptions = blocksOf(files, 'resource', 'google_pubsub_subscription');
  const deadLetterReferences = subscriptions.map((subscription) =>
    String(nested(subscription.body, 'dead_letter_policy')?.dead_letter_topic ?? ''),
  );
  for (const topic of blocksOf(files, 'resource', 'google_pubsub_topic')) {
    const reference = `google_pubsub_topic.${topic.name}.`;
    const name = typeof topic.body.name === 'string' ? topic.body.name : '';
    const isDeadLetter =
      /dead[-_]?letter/i.test(name) ||
      deadLetterReferences.some((text) => text.includes(reference));
    if (!isDeadLetter) continue;
    const kept = subscriptions.some((subscription) => {
      if (subscription.file.module !== topic.file.module) return false;
      const target = String(subscription.body.topic ?? '');
      return target.includes(reference) || (!isExpression(name) && target === name);
    });
    if (!kept)
      violations.push({
        rule,
        where: where(topic),
        message: 'is a dead-letter topic without a subscription: its messages would be dropped',
      });
  }
  return violations;
};

/* ---------- no secret values in code, state or outputs ---------- */

/** Attributes whose value Terraform keeps in state; their write-only `_wo` variants it does not. */
const STATEFUL_SECRET_ATTRIBUTES = ['password', 'secret_data', 'root_password', 'client_secret'];
const SECRET_NAME = /(password|passwd|secret|token|api_?key|private_?key|credential)/i;
const SECRET_ENV_NAME = /(PASSWORD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS|DATABASE_URL)/i;

const CREDENTIAL_PATTERNS: Array<[RegExp, string]> = [
  [/[a-z][a-z0-9+.-]*:\/\/[^\s/:@"'$]*:(?!\$\{)[^\s@"'/]+@/i, 'a URL with a password in it'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/"private_key_id"\s*:/, 'a service account key'],
  [/AIza[0-9A-Za-z_-]{35}/, 'a Google API key'],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}/, 'a GitHub token'],
  [
    /(?:^|[^A-Za-z0-9_])[A-Za-z0-9_]*(?:password|passwd|secret|token|api_key|private_key)\s*=\s*"(?!\$\{)/im,
    'a secret-named attribute with a literal value',
  ],
];

function walk(body: unknown, visit: (key: string, value: unknown) => void): void {
  if (Array.isArray(body)) {
    for (const item of body) walk(item, visit);
  } else if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body as Body)) {
      visit(key, value);
      walk(value, visit);
    }
  }
}

export const noSecretValues: PolicyRule = (files) => {
  const rule = 'no-secret-values';
  const violations: Violation[] = [];
  const add = (at: string, message: string) => violations.push({ rule, where: at, message });

  for (const file of files)
    for (const [pattern, what] of CREDENTIAL_PATTERNS) {
      const match = pattern.exec(file.text);
      if (!match) continue;
      const at = match.index + Math.max(0, match[0].search(/[A-Za-z0-9_-]/));
      add(`${file.path}:${file.text.slice(0, at).split('\n').length}`, `holds ${what}`);
    }

  for (const kind of ['resource', 'data', 'module'] as const)
    for (const block of blocksOf(files, kind))
      walk(block.body, (key, value) => {
        if (STATEFUL_SECRET_ATTRIBUTES.includes(key))
          add(where(block), `sets ${key}, which Terraform stores in state: use ${key}_wo`);
        if (key.endsWith('_wo') && typeof value === 'string' && !isExpression(value))
          add(where(block), `writes a literal into ${key}`);
        if (key !== 'env') return;
        // Container env blocks: [{ name = "X", value = "..." }]; a module's env: { X = "..." }.
        const plain = Array.isArray(value)
          ? (value as Body[])
              .filter((variable) => 'value' in variable)
              .map((variable) => String(variable.name))
          : value && typeof value === 'object'
            ? Object.keys(value)
            : [];
        for (const name of plain.filter((candidate) => SECRET_ENV_NAME.test(candidate)))
          add(where(block), `sets ${name} as a plain value: read it from Secret Manager`);
      });

  for (const output of blocksOf(files, 'output')) {
    if (output.body.sensitive === true)
      add(where(output), 'is a sensitive output: secrets must not leave through outputs or state');
    if (
      /ephemeral\.|random_password\.|secret_data|password|private_key|access_token|client_secret/i.test(
        JSON.stringify(output.body.value ?? ''),
      )
    )
      add(where(output), 'outputs a secret value');
  }

  for (const variable of blocksOf(files, 'variable'))
    if (
      SECRET_NAME.test(variable.name) &&
      String(variable.body.type ?? '') === '${string}' &&
      variable.body.ephemeral !== true
    )
      add(where(variable), 'holds a secret but is not ephemeral, so its value would reach state');

  return violations;
};

/* ---------- Cloud SQL keeps backups and cannot be deleted by accident ---------- */

export const protectedCloudSql: PolicyRule = (files) => {
  const rule = 'cloud-sql-protection';
  const violations: Violation[] = [];
  for (const block of blocksOf(files, 'resource', 'google_sql_database_instance')) {
    const settings = nested(block.body, 'settings');
    const backups = nested(settings, 'backup_configuration');
    const required: Array<[unknown, string]> = [
      [block.body.deletion_protection, 'deletion_protection = true (Terraform)'],
      [settings?.deletion_protection_enabled, 'settings.deletion_protection_enabled = true (API)'],
      [backups?.enabled, 'settings.backup_configuration.enabled = true'],
      [
        backups?.point_in_time_recovery_enabled,
        'settings.backup_configuration.point_in_time_recovery_enabled = true',
      ],
    ];
    for (const [value, setting] of required)
      if (value !== true)
        violations.push({ rule, where: where(block), message: `needs ${setting}` });
  }
  return violations;
};

/* ---------- variables say what they are ---------- */

export const documentedVariables: PolicyRule = (files) => {
  const rule = 'variable-type-and-description';
  const violations: Violation[] = [];
  for (const block of blocksOf(files, 'variable')) {
    if (block.body.type === undefined)
      violations.push({ rule, where: where(block), message: 'has no type' });
    if (typeof block.body.description !== 'string' || block.body.description.trim() === '')
      violations.push({ rule, where: where(block), message: 'has no description' });
  }
  return violations;
};

export const policyRules: Record<string, PolicyRule> = {
  ownServiceAccounts,
  noBasicRoles,
  completePushSubscriptions,
  deadLettersKept,
  noSecretValues,
  protectedCloudSql,
  documentedVariables,
};

/** Every rule's violations over the tree. */
export function checkPolicy(files: TerraformFile[]): Violation[] {
  return Object.values(policyRules).flatMap((rule) => rule(files));
}
