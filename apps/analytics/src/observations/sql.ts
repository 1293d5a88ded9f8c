import { Prisma, prepared, type SqlClient } from '@shelfwatch/db';

/**
 * One statement with bound parameters, answered with its rows: what the helpers shared by the
 * batch path (plain pg, ADR 0025) and the single-observation path (a Prisma transaction) need of
 * a transaction. Read numerics as `::text` and counts as `::int`: the two drivers return `numeric`
 * and `bigint` differently (Prisma: Decimal and bigint; pg: strings), and text and int alike.
 */
export type Sql = <R = Record<string, unknown>>(
  text: string,
  values?: readonly unknown[],
) => Promise<R[]>;

export const sqlOfTransaction =
  (tx: Prisma.TransactionClient): Sql =>
  <R>(text: string, values: readonly unknown[] = []) =>
    tx.$queryRawUnsafe<R[]>(text, ...values);

/**
 * On the pg driver each statement runs prepared (`prepared`, ADR 0041): the batch's statements are
 * long CTE chains, parsed and planned on every batch when unnamed, and a connection sends each
 * text once. Their rows arrive as one jsonb parameter, so a cached generic plan is as good as a
 * custom one.
 */
export const sqlOfClient =
  (client: SqlClient): Sql =>
  async <R>(text: string, values: readonly unknown[] = []) =>
    (await client.query(prepared(text, values))).rows as R[];

/**
 * Rows as ONE jsonb parameter, read back with `jsonb_to_recordset`: one bound string costs less
 * than an array per column in either driver. Dates travel as ISO strings, decimals as their text.
 */
export const records = (rows: readonly object[]): string => JSON.stringify(rows);

/** A decimal (or a number, or numeric text) as the text a jsonb record carries for it. */
export const numericText = (
  value: Prisma.Decimal | string | number | null | undefined,
): string | null =>
  value === null || value === undefined
    ? null
    : value instanceof Prisma.Decimal
      ? value.toFixed()
      : String(value);

/** A numeric read as `::text`, back as a Decimal. */
export const decimalOf = (value: string | null): Prisma.Decimal | null =>
  value === null ? null : new Prisma.Decimal(value);
