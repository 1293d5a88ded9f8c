import { formatAmount, type Money } from '@shelfwatch/contracts';
import { Prisma } from '@shelfwatch/db';

/** A NUMERIC amount as contract money: a plain decimal string (no exponent), never a float. */
export function toMoney(
  amount: Prisma.Decimal | null | undefined,
  currency: string | null | undefined,
): Money | null {
  if (amount === null || amount === undefined || !currency) return null;
  return { amount: formatAmount(amount.toFixed(), currency), currency };
}

export function toDecimal(amount: string | null | undefined): Prisma.Decimal | null {
  return amount === null || amount === undefined ? null : new Prisma.Decimal(amount);
}
