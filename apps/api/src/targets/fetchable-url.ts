import { checkUrl, type AddressGuard } from '@shelfwatch/address-guard';
import { problemTypes } from '@shelfwatch/contracts';
import { DEPENDENCY_RETRY_AFTER_SECONDS, HttpProblem } from '@shelfwatch/runtime';

/**
 * Refuses, before anything is stored, a URL the scraper's address guard would refuse: 422
 * naming the reason (`loopback address`, `private address`, `metadata address`, `unresolvable
 * host`, ...), or 503 when DNS failed in a way that may heal. The scraper still checks again
 * at connect time, since a name can resolve elsewhere later.
 */
export async function assertFetchableUrl(guard: AddressGuard, url: string): Promise<void> {
  const check = await checkUrl(guard, url);
  if (check.ok) return;
  if (check.temporary)
    throw HttpProblem.of('serviceUnavailable', {
      detail: `Could not resolve the host of ${url} right now; try again later. ${check.message}`,
      headers: { 'Retry-After': String(DEPENDENCY_RETRY_AFTER_SECONDS) },
    });
  throw new HttpProblem({
    status: 422,
    type: problemTypes.addressRefused,
    title: 'Address refused',
    detail: `The scraper may not fetch ${url}: ${check.reason}. ${check.message}.`,
    extensions: { reason: check.reason },
  });
}
