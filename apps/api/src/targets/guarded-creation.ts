import type { AddressGuard } from '@shelfwatch/address-guard';
import { Prisma } from '@shelfwatch/db';
import { conflict } from '@shelfwatch/runtime';
import { assertFetchableUrl } from './fetchable-url';
import { normalizeTargetUrl } from './target-url';

export interface GuardedCreation<T> {
  /** Stores what the URL names; `url` and `host` are normalised. */
  create: (page: { url: string; host: string }) => Promise<T>;
  /** The 409's detail when the URL is taken already (a unique violation in `create`). */
  alreadyExists: (url: string) => Promise<string>;
}

/**
 * The one way a watched URL is stored: normalised, refused with 422 (or 503) before anything
 * is written when the scraper's address guard would refuse it, and answered with 409 naming
 * what exists when it is there already.
 */
export async function createGuarded<T>(
  guard: AddressGuard,
  rawUrl: string,
  creation: GuardedCreation<T>,
): Promise<T> {
  const page = normalizeTargetUrl(rawUrl);
  await assertFetchableUrl(guard, page.url);
  try {
    return await creation.create(page);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
      throw conflict(await creation.alreadyExists(page.url));
    throw error;
  }
}
