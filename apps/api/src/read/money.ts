import { formatAmount, type Money } from '@shelfwatch/contracts';
import type { Prisma } from '@shelfwatch/db';

/** A NUMERIC amount as contract money: a plain decimal string, never a float. */
export function toMoney(amount: Prisma.Decimal | null, currency: string | null): Money | null {
  if (amount === null || !currency) return null;
  return { amount: formatAmount(amount.toFixed(), currency), currency };
}
