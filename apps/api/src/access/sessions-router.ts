import {
  SESSION_COOKIE,
  SignInRequestSchema,
  type ApiKeyScope,
  type Session,
} from '@shelfwatch/contracts';
import type { PrismaClient } from '@shelfwatch/db';
import { parseOrThrow } from '@shelfwatch/runtime';
import { Router, type CookieOptions } from 'express';
import { unauthorized } from './access-problems';
import { csrfTokenFor, generateSessionToken, hashSecret } from './credentials';
import type { LoginThrottle } from './login-throttle';
import { verifyAgainstNothing, verifyPassword } from './passwords';
import { principalOf } from './principal';

const OWNER_SCOPES: ApiKeyScope[] = ['read', 'write', 'admin'];
const MEMBER_SCOPES: ApiKeyScope[] = ['read', 'write'];

export interface SessionsDeps {
  prisma: PrismaClient;
  newId: () => string;
  throttle: LoginThrottle;
  sessionTtlSeconds: number;
  now?: () => Date;
}

function cookieOptions(maxAgeMs?: number): CookieOptions {
  return {
    httpOnly: true,
    secure: true,
    sameSite: 'lax',
    path: '/',
    ...(maxAgeMs === undefined ? {} : { maxAge: maxAgeMs }),
  };
}

/** POST /v1/sessions (sign in, public) — mounted before authentication. */
export function signInRouter(deps: SessionsDeps): Router {
  const now = deps.now ?? (() => new Date());
  const router = Router();
  router.post('/v1/sessions', async (req, res) => {
    const { email, password } = parseOrThrow(SignInRequestSchema, req.body ?? {}, 'body');
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    await deps.throttle.check(email, address);

    const user = await deps.prisma.user.findUnique({ where: { email } });
    const valid = user
      ? await verifyPassword(user.passwordHash, password)
      : await verifyAgainstNothing(password);
    if (!user || !valid) {
      await deps.throttle.recordFailure(email, address);
      throw unauthorized('Wrong email or password.');
    }
    await deps.throttle.recordSuccess(email);

    const token = generateSessionToken();
    const at = now();
    const expiresAt = new Date(at.getTime() + deps.sessionTtlSeconds * 1000);
    await deps.prisma.session.create({
      data: { id: deps.newId(), userId: user.id, tokenHash: hashSecret(token), expiresAt },
    });
    const body: Session = {
      user: { id: user.id, email: user.email, role: user.role },
      accountId: user.accountId,
      scopes: user.role === 'owner' ? OWNER_SCOPES : MEMBER_SCOPES,
      expiresAt: expiresAt.toISOString(),
      csrfToken: csrfTokenFor(token),
    };
    res
      .status(201)
      .cookie(SESSION_COOKIE, token, cookieOptions(deps.sessionTtlSeconds * 1000))
      .json(body);
  });
  return router;
}

/** GET and DELETE /v1/sessions/current — mounted behind authentication. */
export function currentSessionRouter(deps: Pick<SessionsDeps, 'prisma'>): Router {
  const router = Router();
  router.get('/v1/sessions/current', async (_req, res) => {
    const principal = principalOf(res);
    if (!principal.session || !principal.userId)
      throw unauthorized('This route describes a sign-in session; the request used an API key.');
    const user = await deps.prisma.user.findUniqueOrThrow({ where: { id: principal.userId } });
    const body: Session = {
      user: { id: user.id, email: user.email, role: user.role },
      accountId: user.accountId,
      scopes: [...principal.scopes],
      expiresAt: principal.session.expiresAt.toISOString(),
      csrfToken: principal.session.csrfToken,
    };
    res.json(body);
  });
  router.delete('/v1/sessions/current', async (_req, res) => {
    const principal = principalOf(res);
    if (principal.via !== 'session')
      throw unauthorized('Signing out needs the session cookie; the request used an API key.');
    await deps.prisma.session.update({
      where: { id: principal.credentialId },
      data: { revokedAt: new Date() },
    });
    res.clearCookie(SESSION_COOKIE, cookieOptions()).status(204).end();
  });
  return router;
}
