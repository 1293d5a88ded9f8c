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

/**
 * A `SqlRunner` whose rows are arrays of the column values in the statement's order: pg then
 * builds no object per row, which is most of what it spends on a long list (365 price points:
 * 37 against 86 µs, ADR 0046). For the hot reads that print their rows straight to JSON.
 */
export type SqlArrayRunner = <Row extends readonly unknown[]>(
  text: string,
  values: readonly unknown[],
) => Promise<Row[]>;

export function poolArrayRunner(pool: Pool): SqlArrayRunner {
  return async <Row extends readonly unknown[]>(text: string, values: readonly unknown[]) =>
    (await pool.query({ ...prepared(text, values), rowMode: 'array' })).rows as unknown[] as Row[];
}

export function prismaRunner(tx: Prisma.TransactionClient): SqlRunner {
  return <Row>(text: string, values: readonly unknown[]) =>
    tx.$queryRawUnsafe<Row[]>(text, ...values);
}
