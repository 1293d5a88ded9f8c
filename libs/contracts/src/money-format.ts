const minorUnitsCache = new Map<string, number>();

/** ISO 4217 minor units of a currency (2 for EUR, 0 for JPY, 3 for KWD), from the platform's ICU data. */
export function currencyMinorUnits(currency: string): number {
  let units = minorUnitsCache.get(currency);
  if (units === undefined) {
    try {
      units = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits;
    } catch {
      units = 2;
    }
    minorUnitsCache.set(currency, units ?? 2);
  }
  return units ?? 2;
}

/**
 * A plain decimal string padded with zeros to the currency's minor units ("19.9" EUR becomes
 * "19.90"); never rounds, so extra precision a shop shows is kept. Zeros beyond the minor units
 * are dropped ("24.990" EUR is "24.99", as `Decimal#toFixed()` and `trim_scale` would have it), so
 * a NUMERIC's text can be passed as PostgreSQL prints it.
 */
export function formatAmount(amount: string, currency: string): string {
  const units = currencyMinorUnits(currency);
  // indexOf, not split: a price history formats two amounts per point.
  const dot = amount.indexOf('.');
  const fractionLength = dot < 0 ? 0 : amount.length - dot - 1;
  if (fractionLength > units) {
    let end = amount.length;
    while (end - dot - 1 > units && amount.charCodeAt(end - 1) === 48 /* 0 */) end--;
    // With no minor units, "1500.000" loses its point as well.
    return end - dot - 1 === 0 ? amount.slice(0, dot) : amount.slice(0, end);
  }
  if (fractionLength === units) return amount;
  return `${dot < 0 ? `${amount}.` : amount}${'0'.repeat(units - fractionLength)}`;
}
