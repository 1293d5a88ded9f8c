import { createHash } from 'node:crypto';

/** How a product page tells its price: the four kinds of markup shops use in the wild. */
export type Markup = 'json-ld' | 'microdata' | 'opengraph' | 'plain';

export interface CatalogProduct {
  slug: string;
  name: string;
  brand: string;
  category: string;
  sku: string;
  gtin: string;
  currency: 'EUR' | 'USD' | 'GBP';
  /** Regular price in minor units (cents). */
  basePriceMinor: number;
  markup: Markup;
}

const CATEGORIES = {
  kitchen: [
    'Espresso Machine',
    'Chef Knife',
    'Cast Iron Skillet',
    'Stand Mixer',
    'Kettle',
    'Toaster',
  ],
  outdoor: [
    'Trail Backpack',
    'Camping Stove',
    'Headlamp',
    'Rain Jacket',
    'Sleeping Bag',
    'Water Filter',
  ],
  audio: [
    'Wireless Headphones',
    'Bookshelf Speaker',
    'Turntable',
    'Soundbar',
    'Earbuds',
    'DAC Amplifier',
  ],
  office: [
    'Mechanical Keyboard',
    'Desk Lamp',
    'Ergonomic Chair',
    'Monitor Arm',
    'Notebook Set',
    'Webcam',
  ],
  garden: [
    'Pruning Shears',
    'Hose Reel',
    'Garden Kneeler',
    'Seed Starter Kit',
    'Watering Can',
    'Bird Feeder',
  ],
  cycling: ['Bike Light Set', 'Floor Pump', 'Cycling Gloves', 'Saddle Bag', 'Bike Lock', 'Helmet'],
} as const;

const BRANDS = ['Nordvik', 'Alder & Co', 'Kestrel', 'Brightline', 'Oakhurst', 'Veloce'];
const MARKUPS: Markup[] = ['json-ld', 'microdata', 'opengraph', 'plain'];
const CURRENCIES: CatalogProduct['currency'][] = ['EUR', 'EUR', 'USD', 'GBP'];

/** A number in [0, 1) from a label: the same label always gives the same number. */
export function unitHash(label: string): number {
  return createHash('sha256').update(label).digest().readUInt32BE(0) / 2 ** 32;
}

function gtinFor(index: number): string {
  const body = `40${String(1_000_000_000 + index * 7919).slice(-10)}`;
  const sum = [...body].reduce(
    (total, digit, i) => total + Number(digit) * (i % 2 === 0 ? 1 : 3),
    0,
  );
  return `${body}${(10 - (sum % 10)) % 10}`;
}

function slugOf(name: string, brand: string): string {
  return `${brand} ${name}`
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** The demo shop's 36 products: six categories, every markup style and three currencies. */
export const catalog: readonly CatalogProduct[] = Object.entries(CATEGORIES).flatMap(
  ([category, names], categoryIndex) =>
    names.map((name, nameIndex) => {
      const index = categoryIndex * names.length + nameIndex;
      const brand = BRANDS[(index * 5 + categoryIndex) % BRANDS.length] as string;
      return {
        slug: slugOf(name, brand),
        name,
        brand,
        category,
        sku: `SW-${category.slice(0, 3).toUpperCase()}-${String(100 + index)}`,
        gtin: gtinFor(index),
        currency: CURRENCIES[index % CURRENCIES.length] as CatalogProduct['currency'],
        basePriceMinor: Math.round((9 + unitHash(`base:${name}`) * 390) * 100) - 1,
        markup: MARKUPS[index % MARKUPS.length] as Markup,
      };
    }),
);

export const categories = Object.keys(CATEGORIES);
