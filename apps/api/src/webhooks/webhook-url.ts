import { checkUrl, type AddressGuard } from '@shelfwatch/address-guard';
import { problemTypes } from '@shelfwatch/contracts';
import { DEPENDENCY_RETRY_AFTER_SECONDS, HttpProblem } from '@shelfwatch/runtime';

function refused(url: string, reason: string, message: string): HttpProblem {
  return new HttpProblem({
    status: 422,
    type: problemTypes.addressRefused,
    title: 'Address refused',
    detail: `Webhooks cannot be delivered to ${url}: ${reason}. ${message}`,
    extensions: { reason },
  });
}

/**
 * Refuses a webhook URL before it is stored: not https (outside the local configuration), or a
 * host the address guard refuses (loopback, private, link-local, metadata, unresolvable: 422
 * naming the reason). The notifier checks again at every connection, as DNS answers change.
 */
export async function assertDeliverableUrl(
  guard: AddressGuard,
  url: string,
  options: { allowHttp: boolean },
): Promise<void> {
  if (!options.allowHttp && new URL(url).protocol !== 'https:')
    throw refused(url, 'not https', 'Deliveries go over https only.');
  const check = await checkUrl(guard, url);
  if (check.ok) return;
  if (check.temporary)
    throw HttpProblem.of('serviceUnavailable', {
      detail: `Could not resolve the host of ${url} right now; try again later. ${check.message}`,
      headers: { 'Retry-After': String(DEPENDENCY_RETRY_AFTER_SECONDS) },
    });
  throw refused(url, check.reason, `${check.message}.`);
}
