import { z } from 'zod';

/** ISO 8601 timestamp in UTC (`Z` suffix, no offsets), the only time format on our boundaries. */
export const TimestampSchema = z.iso
  .datetime({ error: 'must be an ISO 8601 UTC timestamp (e.g. 2025-01-31T12:00:00Z)' })
  // Year 0000 parses as ISO 8601 (1 BC) but is no date anyone means, and not every store keeps it.
  .refine((text) => !text.startsWith('0000'), {
    error: 'must be a time from the year 0001 to 9999',
  })
  .meta({
    description: 'ISO 8601 timestamp in UTC.',
    example: '2025-01-31T12:00:00.000Z',
  });
