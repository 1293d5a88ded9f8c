import { quotedRepeating } from '../read/json-text';
import { moneyJson } from '../read/money';
import { isoTimeOfEpochMs, trimmedScale } from '../read/sql-text';
import type { AlertRow } from './alert-read';

/** A uuid column as JSON: PostgreSQL prints hex digits and dashes, nothing to escape. */
const uuidJson = (id: string | null) => (id === null ? 'null' : `"${id}"`);

/**
 * A page of alerts as the JSON text `JSON.stringify` gives for the contract's `AlertList`
 * (`toAlertDto` per row), byte for byte, printed from the rows without an object per alert and
 * per amount. Change percentages are NUMERIC text, which needs no escaping.
 */
export function alertsJson(rows: readonly AlertRow[], nextPageToken: string | null): string {
  let items = '';
  for (const row of rows) {
    const [
      id,
      productId,
      targetId,
      watchId,
      kind,
      previousAmount,
      previousCurrency,
      currentAmount,
      currentCurrency,
      previousAvailability,
      availability,
      changePercent,
      observedAtMs,
      createdAtMs,
      eventId,
    ] = row;
    if (items !== '') items += ',';
    items += `{"id":"${id}","productId":"${productId}","targetId":${uuidJson(targetId)},"watchId":${uuidJson(watchId)},"kind":${quotedRepeating(kind)},"previous":${moneyJson(previousAmount, previousCurrency)},"current":${moneyJson(currentAmount, currentCurrency)},"previousAvailability":${previousAvailability === null ? 'null' : quotedRepeating(previousAvailability)},"availability":${quotedRepeating(availability)},"changePercent":${changePercent === null ? 'null' : `"${trimmedScale(changePercent)}"`},"observedAt":"${isoTimeOfEpochMs(observedAtMs)}","createdAt":"${isoTimeOfEpochMs(createdAtMs)}","eventId":${uuidJson(eventId)}}`;
  }
  return `{"items":[${items}],"nextPageToken":${JSON.stringify(nextPageToken)}}`;
}
