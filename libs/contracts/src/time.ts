import { z } from 'zod';

/** ISO 8601 timestamp in UTC (`Z` suffix, no offsets), the only time format on our boundaries. */
export const TimestampSchema = z.iso
  .datetime({ error: 'must be an ISO 8601 UTC timestamp (e.g. 2025-01-31T12:00:00Z)' })
  .meta({
    description: 'ISO 8601 timestamp in UTC.',
    example: '2025-01-31T12:00:00.000Z',
  });
