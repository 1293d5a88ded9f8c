import {
  formatAmount,
  type AlertKind,
  type AlertRaised,
  type Availability,
  type Money,
} from '@shelfwatch/contracts';

const KIND_TITLES: Record<AlertKind, string> = {
  price_drop: 'Price drop',
  price_rise: 'Price rise',
  target_price_reached: 'Target price reached',
  back_in_stock: 'Back in stock',
  out_of_stock: 'Out of stock',
  new_product: 'New product',
};

const AVAILABILITY_WORDS: Record<Availability, string> = {
  InStock: 'in stock',
  OutOfStock: 'out of stock',
  PreOrder: 'pre-order',
  BackOrder: 'back-order',
  LimitedAvailability: 'limited availability',
  Discontinued: 'discontinued',
  Unknown: 'unknown',
};

export function kindTitle(kind: AlertKind): string {
  return KIND_TITLES[kind];
}

export function money(value: Money | null): string | null {
  return value ? `${formatAmount(value.amount, value.currency)} ${value.currency}` : null;
}

export function productLabel(alert: AlertRaised): string {
  return alert.productName ?? alert.url;
}

/** One line saying what changed: "Price drop: Espresso machine, 399.00 EUR → 349.00 EUR (-12.5%)". */
export function alertHeadline(alert: AlertRaised): string {
  return `${kindTitle(alert.kind)}: ${productLabel(alert)}`;
}

/** The facts of an alert as label/value pairs, shared by the text and HTML bodies. */
export function alertFacts(alert: AlertRaised): Array<[string, string]> {
  const facts: Array<[string, string]> = [];
  const previous = money(alert.previous);
  const current = money(alert.current);
  if (previous && current) facts.push(['Price', `${previous} → ${current}`]);
  else if (current) facts.push(['Price', current]);
  if (alert.changePercent !== null) facts.push(['Change', `${alert.changePercent}%`]);
  const target = money(alert.targetPrice);
  if (target) facts.push(['Your target price', target]);
  facts.push([
    'Availability',
    alert.previousAvailability && alert.previousAvailability !== alert.availability
      ? `${AVAILABILITY_WORDS[alert.previousAvailability]} → ${AVAILABILITY_WORDS[alert.availability]}`
      : AVAILABILITY_WORDS[alert.availability],
  ]);
  facts.push(['Observed', alert.observedAt]);
  facts.push(['Page', alert.url]);
  return facts;
}
