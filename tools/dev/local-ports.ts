/**
 * The local stack's ports: `SHELFWATCH_PORT` (default 8080) for the api, the next two for the
 * scraper, analytics and the notifier, and ten above it for the demo shop (or `DEMO_SHOP_PORT`). `npm start`
 * and `nx serve` use the same ones (the local SMTP server listens 15 above the api), so a moved base port moves everything together.
 */
export interface LocalPorts {
  api: number;
  scraper: number;
  analytics: number;
  notifier: number;
  demoShop: number;
  /** The local SMTP server that keeps the apps' mail (`DEV_SMTP_PORT`, else 15 above the api). */
  smtp: number;
}

function portFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535)
    throw new Error(`${name} must be a port number, got "${raw}"`);
  return value;
}

export function localPorts(env: NodeJS.ProcessEnv = process.env): LocalPorts {
  const base = portFrom(env, 'SHELFWATCH_PORT', 8080);
  return {
    api: base,
    scraper: base + 1,
    analytics: base + 2,
    notifier: base + 3,
    demoShop: portFrom(env, 'DEMO_SHOP_PORT', base + 10),
    smtp: portFrom(env, 'DEV_SMTP_PORT', base + 15),
  };
}
