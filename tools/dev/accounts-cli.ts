import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { workspaceRoot } from './app-process';
import { resolveDatabaseUrl } from './local-database';

export interface CliAccount {
  accountId: string;
  email: string;
  /** Set when the CLI generated it. */
  password?: string;
  apiKey: string;
}

const apiEntry = () => join(workspaceRoot, 'apps', 'api', 'src', 'main.ts');

/**
 * `shelfwatch accounts …`: the api's own command (`main.ts accounts`), run against
 * `DATABASE_URL` or, without it, the local embedded database (started or joined here: tools
 * may not import apps, and the api image has no embedded PostgreSQL).
 */
export async function runAccountsCommand(args: string[], env = process.env): Promise<number> {
  const database = await resolveDatabaseUrl(env);
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', apiEntry(), 'accounts', ...args], {
      cwd: workspaceRoot,
      env: { ...env, DATABASE_URL: database.url },
      stdio: 'inherit',
    });
    return await new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  } finally {
    await database.stop();
  }
}

/** Creates an account with the api's command, as an operator would, and returns its JSON. */
export async function createAccountWithCli(
  env: NodeJS.ProcessEnv,
  options: { email: string; name?: string; operator?: boolean },
): Promise<CliAccount> {
  const database = await resolveDatabaseUrl(env);
  const args = ['--import', 'tsx', apiEntry(), 'accounts', 'create', '--email', options.email];
  args.push('--json');
  if (options.name) args.push('--name', options.name);
  if (options.operator) args.push('--operator');
  try {
    const { stdout } = await promisify(execFile)(process.execPath, args, {
      cwd: workspaceRoot,
      env: { ...env, DATABASE_URL: database.url },
    });
    return JSON.parse(stdout.trim().split('\n').pop()!) as CliAccount;
  } finally {
    await database.stop();
  }
}
