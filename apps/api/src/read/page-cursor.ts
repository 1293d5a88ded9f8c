import { decodePageToken, problemTypes } from '@shelfwatch/contracts';
import { HttpProblem } from '@shelfwatch/runtime';

export function invalidPageToken(): HttpProblem {
  return new HttpProblem({
    status: 400,
    type: problemTypes.invalidPageToken,
    title: 'Invalid page token',
    detail: 'page_token is not a token this API issued; pass the nextPageToken of a previous page',
  });
}

/** The id inside a page token, undefined without one; a token we did not issue is a 400. */
export function cursorIdFrom(pageToken: string | undefined): string | undefined {
  if (pageToken === undefined) return undefined;
  const cursor = decodePageToken(pageToken);
  if (!cursor) throw invalidPageToken();
  return cursor.id;
}

/** Splits `rows` fetched with `take: pageSize + 1` into the page and whether more follow. */
export function pageOf<T>(rows: T[], pageSize: number): { page: T[]; last: T | undefined } {
  const page = rows.slice(0, pageSize);
  return { page, last: rows.length > pageSize ? page[page.length - 1] : undefined };
}
