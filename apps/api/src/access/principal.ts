import type { ApiKeyScope } from '@shelfwatch/contracts';
import type { Response } from 'express';

/** Who is calling, established by `authenticate` for every /v1 request. */
export interface Principal {
  accountId: string;
  /** Operator accounts' admins also manage the shared targets. */
  operator: boolean;
  scopes: ReadonlySet<ApiKeyScope>;
  via: 'apiKey' | 'session';
  /** The API key's id, or the session's id: what the per-key rate limit counts. */
  credentialId: string;
  userId?: string;
  /** Set for sessions: what GET /v1/sessions/current reports. */
  session?: { expiresAt: Date; csrfToken: string };
}

const PRINCIPAL = 'shelfwatchPrincipal';

export function setPrincipal(res: Response, principal: Principal): void {
  res.locals[PRINCIPAL] = principal;
}

/** The caller of an authenticated route; throws when a route was mounted outside `authenticate`. */
export function principalOf(res: Response): Principal {
  const principal = res.locals[PRINCIPAL] as Principal | undefined;
  if (!principal) throw new Error('principalOf() called on a route without authentication');
  return principal;
}
