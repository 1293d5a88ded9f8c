/**
 * The typed api client: openapi-fetch over the generated `paths`, same origin, with the session
 * cookie and the X-CSRF-Token every cookie-authenticated write needs (ADR 0011).
 */
import createClient from 'openapi-fetch';
import { ApiError, isProblem } from './problem';
import type { paths } from './types';

let csrfToken: string | undefined;

/** Set at sign-in and on restoring a session; cleared at sign-out. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });

api.use({
  onRequest({ request }) {
    if (request.method !== 'GET' && csrfToken) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
});

/** What openapi-fetch answers: data on success, the parsed error body otherwise. */
interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a successful answer, or an ApiError that says what went wrong and what to do. */
export async function unwrap<T>(call: Promise<FetchResult<T>>, what: string): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch {
    throw new ApiError(0, undefined, what);
  }
  if (result.response.ok) return result.data as T;
  throw new ApiError(
    result.response.status,
    isProblem(result.error) ? result.error : undefined,
    what,
  );
}

/** Every page of a paginated list, following nextPageToken up to `maxPages`. */
export async function allPages<T>(
  fetchPage: (
    pageToken: string | undefined,
  ) => Promise<{ items: T[]; nextPageToken: string | null }>,
  maxPages = 50,
): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const result = await fetchPage(token);
    items.push(...result.items);
    if (!result.nextPageToken) break;
    token = result.nextPageToken;
  }
  return items;
}
