/**
 * SQL expressions that give a column as the text the contract wants, so a read builds no
 * `Date` or `Decimal` per value (ADR 0022). Arguments are column names written in our own
 * statements, never input.
 */

/**
 * A timestamptz as `Date#toISOString()` prints it: UTC, milliseconds, `Z`. PostgreSQL keeps
 * microseconds; `MS` truncates them as the Date that Prisma and pg build did.
 */
export function isoTimeSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** A NUMERIC without trailing zeros: the digits `Decimal#toFixed()` gives. */
export function decimalSql(column: string): string {
  return `trim_scale(${column})::text`;
}
