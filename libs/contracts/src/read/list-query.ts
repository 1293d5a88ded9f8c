import { z } from 'zod';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../pagination';

/** page_size from query strings (coerced), bounded, with a default. */
export function pageSizeParameter(defaultSize = DEFAULT_PAGE_SIZE, maxSize = MAX_PAGE_SIZE) {
  return z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be an integer' })
    .min(1, { error: 'must be at least 1' })
    .max(maxSize, { error: `must be at most ${maxSize}` })
    .default(defaultSize)
    .meta({
      description: `Items per page, from 1 to ${maxSize} (maximum). Defaults to ${defaultSize}.`,
    });
}

export const pageTokenParameter = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(512, { error: 'must be at most 512 characters' })
  .optional()
  .meta({ description: 'Opaque token from nextPageToken of the previous page.' });

export const nextPageTokenField = z
  .string()
  .nullable()
  .meta({ description: 'Pass as page_token to get the next page; null on the last page.' });

/** Strict query objects name the parameters they do not know, as the targets list does. */
export const unknownQueryParameters = {
  error: (issue: { code?: string; keys?: string[] }) =>
    issue.code === 'unrecognized_keys' && issue.keys
      ? `unknown query parameter${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`
      : undefined,
};
