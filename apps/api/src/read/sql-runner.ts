import { prepared, type Prisma } from '@shelfwatch/db';
import type { Pool } from 'pg';

/**
 * Runs one parameterised statement (`$1`, `$2`, … placeholders, values bound, never spliced) and
 * answers its rows. Hot reads run it on the pg pool directly; a write that answers with the same
 * shape runs the same statement inside its Prisma transaction, so both see one definition.
 */
export type SqlRunner = <Row>(text: string, values: readonly unknown[]) => Promise<Row[]>;

export function poolRunner(pool: Pool): SqlRunner {
  return async <Row>(text: string, values: readonly unknown[]) =>
    (await pool.query(prepared(text, values))).rows as Row[];
}

export function prismaRunner(tx: Prisma.TransactionClient): SqlRunner {
  return <Row>(text: string, values: readonly unknown[]) =>
    tx.$queryRawUnsafe<Row[]>(text, ...values);
}
