import { formatAmount, type Money } from '@shelfwatch/contracts';
import { quotedRepeating } from './json-text';
import type { Prisma } from '@shelfwatch/db';

/** An amount read as text (`decimalSql`) as contract money: no Decimal is built. */
export function moneyOfText(amount: string | null, currency: string | null): Money | null {
  if (amount === null || !currency) return null;
  return { amount: formatAmount(amount, currency), currency };
}

/** A NUMERIC amount as contract money: a plain decimal string, never a float. */
export function toMoney(amount: Prisma.Decimal | null, currency: string | null): Money | null {
  return moneyOfText(amount === null ? null : amount.toFixed(), currency);
}

/** `moneyOfText`'s value as the JSON text `JSON.stringify` gives for it, built without an object. */
export function moneyJson(amount: string | null, currency: string | null): string {
  if (amount === null || !currency) return 'null';
  return `{"amount":"${formatAmount(amount, currency)}","currency":${quotedRepeating(currency)}}`;
}
