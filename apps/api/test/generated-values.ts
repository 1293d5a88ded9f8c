/**
 * fast-check generators of the values the read statements hand over, for the printers' property
 * tests.
 */
import fc from 'fast-check';

/** NUMERIC as PostgreSQL prints it: any sign, whole part and scale. */
export const numericText = fc
  .tuple(
    fc.boolean(),
    fc.bigInt({ min: 0n, max: 10n ** 9n }),
    fc.option(fc.stringMatching(/^[0-9]{1,6}$/), { nil: undefined }),
  )
  .map(
    ([negative, whole, fraction]) =>
      `${negative ? '-' : ''}${whole}${fraction === undefined ? '' : `.${fraction}`}`,
  );

/** Codes of 0, 2 and 3 minor units, an unknown one, none, and text that needs escaping. */
export const currencyText = fc.oneof(
  fc.constantFrom('EUR', 'JPY', 'KWD', 'XQQ', ''),
  fc.constant(null),
  fc.string({ unit: 'binary', maxLength: 4 }),
);

/** Epoch milliseconds from 1970 to 2100. */
export const epochMs = fc.integer({ min: 0, max: 4_102_444_800_000 });
