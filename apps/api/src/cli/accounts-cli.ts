import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { EmailSchema, NewPasswordSchema, newId } from '@shelfwatch/contracts';
import { Prisma, createPrismaClient } from '@shelfwatch/db';
import { createAccount } from '../access/accounts';

export const ACCOUNTS_USAGE = `usage: shelfwatch accounts create --email <email> [--name <name>] [--operator] [--json]

Creates an account, its owner (who signs in with the email) and a first API key with the
read, write and admin scopes, against DATABASE_URL (npx shelfwatch: or the local database). The
password comes from SHELFWATCH_ACCOUNT_PASSWORD, or is generated and printed once; the key is
printed once. --operator lets the account's admins manage the shared targets (/v1/targets).`;

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export async function runAccountsCli(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        operator: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n${ACCOUNTS_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(`${ACCOUNTS_USAGE}\n`);
    return 0;
  }
  if (positionals[0] !== 'create' || positionals.length !== 1) {
    io.stderr.write(`expected "accounts create"\n${ACCOUNTS_USAGE}\n`);
    return 2;
  }
  const email = EmailSchema.safeParse(values.email);
  if (!email.success) {
    io.stderr.write(
      `--email ${values.email === undefined ? 'is required' : 'must be an email address'}\n`,
    );
    return 2;
  }
  const givenPassword = io.env['SHELFWATCH_ACCOUNT_PASSWORD'];
  const password = givenPassword ?? randomBytes(15).toString('base64url');
  const passwordCheck = NewPasswordSchema.safeParse(password);
  if (!passwordCheck.success) {
    io.stderr.write('SHELFWATCH_ACCOUNT_PASSWORD must be at least 12 characters\n');
    return 2;
  }

  const databaseUrl = io.env['DATABASE_URL'];
  if (!databaseUrl) {
    io.stderr.write('DATABASE_URL is required (npx shelfwatch accounts uses the local database)\n');
    return 2;
  }
  const prisma = createPrismaClient({
    databaseUrl,
    pool: { max: 2 },
    applicationName: 'shelfwatch-cli',
  });
  try {
    const created = await createAccount(
      prisma,
      {
        name: values.name ?? email.data,
        email: email.data,
        password,
        operator: values.operator,
      },
      newId,
    );
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify({
          accountId: created.accountId,
          userId: created.userId,
          email: created.email,
          ...(givenPassword ? {} : { password }),
          apiKey: created.apiKey.key,
          scopes: created.apiKey.scopes,
          operator: values.operator,
        })}\n`,
      );
    } else {
      io.stdout.write(
        [
          `account   ${created.accountId}${values.operator ? ' (operator)' : ''}`,
          `sign in   ${created.email}${givenPassword ? '' : ` / ${password}`}`,
          `api key   ${created.apiKey.key}`,
          `          scopes ${created.apiKey.scopes.join(', ')}; shown once, store it now`,
          '',
        ].join('\n'),
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      io.stderr.write(`a user with the email ${email.data} already exists\n`);
      return 1;
    }
    throw error;
  } finally {
    await prisma.$disconnect();
  }
}
