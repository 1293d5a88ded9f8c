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
 * A timestamptz as whole epoch milliseconds, truncated as `isoTimeSql` truncates: for long lists,
 * where `isoTimeOfEpochMs` in Node costs less than `to_char` per row in PostgreSQL (ADR 0031).
 * A float8 (pg hands it over as a number): `date_part` answers a double, where `extract` answers
 * a NUMERIC whose arithmetic cost a price history's statement a tenth of its time.
 *
 * From 1970 to 2100 (every time a scrape records) the milliseconds come from the microseconds in
 * integer arithmetic: `date_part`'s seconds are the microseconds divided once, correctly rounded,
 * and times 10^6 they err by under 0.5 µs within ±2^32 s, so the cast to int8 (which rounds)
 * gives the exact microseconds and the int8 division truncates them. That costs half of
 * `date_trunc` on a timestamptz, which goes through the session's time zone (ADR 0046). Other
 * times are truncated by `date_trunc` first; after it the value is whole milliseconds, and the
 * double's error (below 0.2 ms up to year 9999) is rounded away. Both give the same value.
 */
export function epochMsSql(column: string): string {
  return `CASE WHEN ${column} >= '1970-01-01T00:00:00Z' AND ${column} < '2100-01-01T00:00:00Z'
              THEN ((date_part('epoch', ${column}) * 1000000)::int8 / 1000)::float8
              ELSE round(date_part('epoch', date_trunc('milliseconds', ${column})) * 1000) END`;
}

const MS_PER_DAY = 86_400_000;
/** 10000-01-01T00:00:00Z: from there on `toISOString()` prints six-digit years. */
const FOUR_DIGIT_YEARS_END_MS = 253_402_300_800_000;

const twoDigits = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * `epochMsSql`'s value as the text `isoTimeSql` gives: what `Date#toISOString()` prints, computed
 * with integer arithmetic (the civil-from-days algorithm of H. Hinnant's date library). A price
 * history prints one per point, and building a Date for each cost about 3x as much (ADR 0031).
 * Times before 1970 or from year 10000 on take the Date's path.
 */
export function isoTimeOfEpochMs(ms: number): string {
  if (!(ms >= 0 && ms < FOUR_DIGIT_YEARS_END_MS)) return new Date(ms).toISOString();
  const days = Math.floor(ms / MS_PER_DAY);
  let rest = ms - days * MS_PER_DAY;
  // Days since 0000-03-01 in 400-year eras; the year starts in March so leap days come last.
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${year}-${twoDigits(month)}-${twoDigits(day)}T${twoDigits(hours)}:${twoDigits(minutes)}:${twoDigits(seconds)}.${millis < 10 ? `00${millis}` : millis < 100 ? `0${millis}` : millis}Z`;
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

/**
 * `decimalSql`'s text from the NUMERIC's own text (`-16.6700` is `-16.67`, `100.000` is `100`):
 * for a column every row of a long list has, where `trim_scale` in PostgreSQL costs more than
 * this does in Node (ADR 0046). PostgreSQL prints a NUMERIC without exponent or signed zero.
 */
export function trimmedScale(numeric: string): string {
  const dot = numeric.indexOf('.');
  if (dot < 0) return numeric;
  let end = numeric.length;
  while (numeric.charCodeAt(end - 1) === 48 /* 0 */) end--;
  return numeric.slice(0, end === dot + 1 ? dot : end);
}
