import { createHash } from 'node:crypto';
import type { Prisma } from '@shelfwatch/db';
import type { Pool, QueryConfig } from 'pg';

/**
 * Runs one parameterised statement (`$1`, `$2`, … placeholders, values bound, never spliced) and
 * answers its rows. Hot reads run it on the pg pool directly; a write that answers with the same
 * shape runs the same statement inside its Prisma transaction, so both see one definition.
 */
export type SqlRunner = <Row>(text: string, values: readonly unknown[]) => Promise<Row[]>;

const names = new Map<string, string>();

/**
 * A statement run as a named prepared statement (ADR 0031): each pool connection parses it once
 * and PostgreSQL may keep its plan, where an unnamed statement is parsed and planned on every
 * request (most of the database's time on the hot reads). The name is a digest of the text, so
 * one name never stands for two texts. Only for texts written in our own code, never built from
 * input: every distinct text stays prepared on every connection.
 */
export function prepared(text: string, values: readonly unknown[]): QueryConfig {
  let name = names.get(text);
  if (name === undefined) {
    name = `sw_${createHash('sha256').update(text).digest('base64url').slice(0, 22)}`;
    names.set(text, name);
  }
  return { name, text, values: [...values] };
}

export function poolRunner(pool: Pool): SqlRunner {
  return async <Row>(text: string, values: readonly unknown[]) =>
    (await pool.query(prepared(text, values))).rows as Row[];
}

export function prismaRunner(tx: Prisma.TransactionClient): SqlRunner {
  return <Row>(text: string, values: readonly unknown[]) =>
    tx.$queryRawUnsafe<Row[]>(text, ...values);
}
