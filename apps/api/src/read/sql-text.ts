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

/**
 * A timestamptz as whole epoch milliseconds (int8, which pg hands over as text), truncated as
 * `isoTimeSql` truncates: for long lists, where `isoTimeOfEpochMs` in Node costs less than
 * `to_char` per row in PostgreSQL (ADR 0031). `date_trunc` drops the microseconds exactly, so the
 * multiplication is exact even where `extract` answers a double (PostgreSQL 13 and older).
 */
export function epochMsSql(column: string): string {
  return `(extract(epoch from date_trunc('milliseconds', ${column})) * 1000)::int8`;
}

/** `epochMsSql`'s value as the text `isoTimeSql` gives. */
export function isoTimeOfEpochMs(ms: string): string {
  return new Date(Number(ms)).toISOString();
}

/**
 * `<column> < $n`, or every id when the parameter is null (the first page). Written as a bound
 * rather than `$n IS NULL OR …`, so it stays an index condition in the generic plan PostgreSQL
 * may cache for a prepared statement (ADR 0031). No UUIDv7 is the all-ones UUID.
 */
export function idBeforeSql(column: string, param: string): string {
  return `${column} < coalesce(${param}::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid)`;
}

/** A NUMERIC without trailing zeros: the digits `Decimal#toFixed()` gives. */
export function decimalSql(column: string): string {
  return `trim_scale(${column})::text`;
}
