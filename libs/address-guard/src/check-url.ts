import type { AddressGuard, RefusalReason, ResolvedAddress } from './address-guard';
import { isAddressRefusal } from './address-guard';

export type UrlCheck =
  | { ok: true; host: string; addresses: ResolvedAddress[] }
  | {
      ok: false;
      reason: RefusalReason | 'not an http(s) URL';
      /** One sentence naming the host (and address) refused, fit for a problem's `detail`. */
      message: string;
      /** A DNS failure that may heal; the URL itself may be fine. */
      temporary: boolean;
    };

/**
 * Checks a URL up front, before it is stored or called: http or https, and a host the guard
 * lets through now. A pass is not a promise: the answer may change, so the connection must go
 * through the guard again (`createGuardedAgent`, `createGuardedLookup`).
 */
export async function checkUrl(guard: AddressGuard, url: string | URL): Promise<UrlCheck> {
  const parsed = typeof url === 'string' ? (URL.canParse(url) ? new URL(url) : null) : url;
  if (parsed === null || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:'))
    return {
      ok: false,
      reason: 'not an http(s) URL',
      message: 'Only http and https URLs can be fetched',
      temporary: false,
    };
  try {
    const addresses = await guard.resolveAll(parsed.hostname);
    return { ok: true, host: parsed.hostname, addresses };
  } catch (error) {
    if (!isAddressRefusal(error)) throw error;
    return { ok: false, reason: error.reason, message: error.message, temporary: error.temporary };
  }
}
