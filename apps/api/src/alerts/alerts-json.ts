import { quotedRepeating } from '../read/json-text';
import { moneyJson } from '../read/money';
import { isoTimeOfEpochMs } from '../read/sql-text';
import type { AlertRow } from './alert-read';

/** A uuid column as JSON: PostgreSQL prints hex digits and dashes, nothing to escape. */
const uuidJson = (id: string | null) => (id === null ? 'null' : `"${id}"`);

/**
 * A page of alerts as the JSON text `JSON.stringify` gives for the contract's `AlertList`
 * (`toAlertDto` per row), byte for byte, printed from the rows without an object per alert and
 * per amount. Change percentages are `trim_scale` NUMERIC text, which needs no escaping.
 */
export function alertsJson(rows: readonly AlertRow[], nextPageToken: string | null): string {
  let items = '';
  for (const row of rows) {
    if (items !== '') items += ',';
    items += `{"id":"${row.id}","productId":"${row.product_id}","targetId":${uuidJson(row.target_id)},"watchId":${uuidJson(row.watch_id)},"kind":${quotedRepeating(row.kind)},"previous":${moneyJson(row.previous_amount, row.previous_currency)},"current":${moneyJson(row.current_amount, row.current_currency)},"previousAvailability":${row.previous_availability === null ? 'null' : quotedRepeating(row.previous_availability)},"availability":${quotedRepeating(row.current_availability)},"changePercent":${row.change_percent === null ? 'null' : `"${row.change_percent}"`},"observedAt":"${isoTimeOfEpochMs(row.observed_at_ms)}","createdAt":"${isoTimeOfEpochMs(row.created_at_ms)}","eventId":${uuidJson(row.event_id)}}`;
  }
  return `{"items":[${items}],"nextPageToken":${JSON.stringify(nextPageToken)}}`;
}
