import { z } from 'zod';
import { additiveObjectMeta } from './additive';

/**
 * A base-10 number as a string: no exponent, no thousands separators, no float. Strings keep
 * every digit exact across JSON, JavaScript and PostgreSQL `numeric`.
 */
export const DecimalStringSchema = z
  .string({ error: 'must be a decimal string' })
  .max(40, { error: 'must be at most 40 characters' })
  .regex(/^-?\d+(\.\d+)?$/, {
    error: 'must be a decimal string such as "19.99" (no exponent, no separators)',
  })
  .meta({ description: 'Decimal number as a string, e.g. "19.99" or "-12.5".', example: '19.99' });

/** ISO 4217 alphabetic currency code. */
export const CurrencyCodeSchema = z
  .string({ error: 'must be a currency code' })
  .regex(/^[A-Z]{3}$/, {
    error: 'must be an ISO 4217 currency code of three upper-case letters, e.g. "EUR"',
  })
  .meta({ description: 'ISO 4217 currency code.', example: 'EUR' });

/** A price never goes below zero, so the amount is a non-negative decimal string. */
export const AmountSchema = z
  .string({ error: 'must be a decimal string' })
  .max(40, { error: 'must be at most 40 characters' })
  .regex(/^\d+(\.\d+)?$/, {
    error: 'must be a non-negative decimal string such as "19.99" (no exponent, no separators)',
  })
  .meta({ description: 'Non-negative decimal number as a string.', example: '19.99' });

export const MoneySchema = z.object({ amount: AmountSchema, currency: CurrencyCodeSchema }).meta({
  id: 'Money',
  description:
    'An amount of money: a non-negative decimal string and an ISO 4217 currency code. Never a float.',
  example: { amount: '19.99', currency: 'EUR' },
  ...additiveObjectMeta,
});

export type Money = z.infer<typeof MoneySchema>;

/** Orders two non-negative decimal strings exactly (no float rounding): -1, 0 or 1. */
export function compareAmounts(a: string, b: string): -1 | 0 | 1 {
  const [aWhole = '', aFraction = ''] = a.split('.');
  const [bWhole = '', bFraction = ''] = b.split('.');
  const whole = (text: string) => text.replace(/^0+(?=\d)/, '');
  const width = Math.max(aFraction.length, bFraction.length);
  const left = whole(aWhole);
  const right = whole(bWhole);
  if (left.length !== right.length) return left.length < right.length ? -1 : 1;
  const aDigits = left + aFraction.padEnd(width, '0');
  const bDigits = right + bFraction.padEnd(width, '0');
  return aDigits === bDigits ? 0 : aDigits < bDigits ? -1 : 1;
}
