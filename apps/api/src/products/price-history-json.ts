import { quotedRepeating } from '../read/json-text';
import { moneyJson } from '../read/money';
import { isoTimeOfEpochMs } from '../read/sql-text';
import type { PricePointRow } from './price-history-query';

/**
 * A page of price history as the JSON text `JSON.stringify` gives for the contract's
 * `PriceHistory` (`toPricePoint` per row), byte for byte, so its ETag is the same too; printed
 * straight from the rows, without an object per point and per price (a 365-point page is
 * 730 prices). Ids are PostgreSQL uuids and amounts NUMERIC text, which need no escaping.
 */
export function priceHistoryJson(
  productId: string,
  points: readonly PricePointRow[],
  nextPageToken: string | null,
): string {
  let items = '';
  for (const point of points) {
    const [id, observedAtMs, amount, listPrice, currency, availability, notModified, runId] = point;
    if (items !== '') items += ',';
    items += `{"id":"${id}","observedAt":"${isoTimeOfEpochMs(observedAtMs)}","price":${moneyJson(amount, currency)},"listPrice":${moneyJson(listPrice, currency)},"availability":${quotedRepeating(availability)},"notModified":${notModified},"runId":"${runId}"}`;
  }
  return `{"productId":${JSON.stringify(productId)},"items":[${items}],"nextPageToken":${JSON.stringify(nextPageToken)}}`;
}
