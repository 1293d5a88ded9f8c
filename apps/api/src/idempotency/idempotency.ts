import { createHash } from 'node:crypto';
import { problemTypes } from '@shelfwatch/contracts';
import type { PrismaClient } from '@shelfwatch/db';
import { HttpProblem, validationFailed } from '@shelfwatch/runtime';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { principalOf } from '../access/principal';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** How long a first answer is replayed. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

const KeySchema = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(255, { error: 'must be at most 255 characters' })
  .regex(/^[\x21-\x7e]+$/, { error: 'must be printable ASCII without spaces' });

// Answers are replayed with these headers dropped: they describe the moment, not the answer.
const VOLATILE_HEADERS = new Set([
  'date',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
  'ratelimit',
  'ratelimit-policy',
  'set-cookie',
  'x-powered-by',
]);

function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method}\u0000${path}\u0000${JSON.stringify(body ?? null)}`)
    .digest('hex');
}

function replayableHeaders(res: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.getHeaders()))
    if (!VOLATILE_HEADERS.has(name) && value !== undefined) headers[name] = String(value);
  return headers;
}

/**
 * `Idempotency-Key` on POST, per account, kept in PostgreSQL so every instance sees it: the
 * first request claims the key (INSERT … ON CONFLICT DO NOTHING) and its answer is stored just
 * before it is sent; a repeat with the same method, path and body gets that answer again
 * (status, headers, body) without the work being done twice; a different request with the key
 * is 422; a repeat while the first still runs is 409. A 5xx answer frees the key for a retry.
 */
export function idempotency(deps: { prisma: PrismaClient; now?: () => Date }): RequestHandler {
  const { prisma } = deps;
  const now = deps.now ?? (() => new Date());
  const keyed = async (
    req: Request,
    res: Response,
    next: NextFunction,
    header: string,
  ): Promise<void> => {
    const parsed = KeySchema.safeParse(header);
    if (!parsed.success) throw validationFailed(parsed.error, 'headers');
    const key = parsed.data;
    const { accountId } = principalOf(res);
    const hash = requestHash(req.method, req.originalUrl, req.body);
    const at = now();

    // An expired record is history: the key may be used afresh.
    await prisma.idempotencyRecord.deleteMany({
      where: { accountId, key, expiresAt: { lte: at } },
    });
    const { count } = await prisma.idempotencyRecord.createMany({
      data: [
        {
          accountId,
          key,
          requestHash: hash,
          state: 'in_flight',
          expiresAt: new Date(at.getTime() + IDEMPOTENCY_TTL_MS),
        },
      ],
      skipDuplicates: true,
    });
    if (count === 0) {
      const existing = await prisma.idempotencyRecord.findUnique({
        where: { accountId_key: { accountId, key } },
      });
      if (!existing)
        throw inFlight('The first request with this Idempotency-Key just failed; retry it.');
      if (existing.requestHash !== hash)
        throw new HttpProblem({
          status: 422,
          type: problemTypes.idempotencyKeyReused,
          title: 'Idempotency-Key reused',
          detail:
            'This Idempotency-Key was used for a different request (method, path or body); use a new key.',
        });
      if (existing.state === 'in_flight')
        throw inFlight('The first request with this Idempotency-Key is still being processed.');
      for (const [name, value] of Object.entries(
        (existing.headers ?? {}) as Record<string, string>,
      ))
        res.setHeader(name, value);
      res.setHeader('Idempotent-Replayed', 'true');
      res
        .status(existing.status ?? 200)
        .send(existing.body === null ? undefined : Buffer.from(existing.body));
      return;
    }

    const send = res.send.bind(res);
    let stored = false;
    const complete = (body: string | null) =>
      res.statusCode >= 500
        ? prisma.idempotencyRecord.deleteMany({ where: { accountId, key } })
        : prisma.idempotencyRecord.update({
            where: { accountId_key: { accountId, key } },
            data: {
              state: 'completed',
              status: res.statusCode,
              headers: replayableHeaders(res),
              body,
            },
          });
    // An answer ended without send() (res.end(), e.g. 204) is stored once it has gone out.
    res.once('finish', () => {
      if (stored) return;
      stored = true;
      void complete(null).catch((error: unknown) =>
        req.log?.error('Could not store the answer for an Idempotency-Key', { err: error }),
      );
    });
    res.send = (body?: unknown) => {
      if (stored) return send(body);
      stored = true;
      const text =
        typeof body === 'string'
          ? body
          : Buffer.isBuffer(body)
            ? body.toString('utf8')
            : body === undefined
              ? null
              : JSON.stringify(body);
      void complete(text).then(
        () => send(body),
        (error: unknown) => {
          req.log?.error('Could not store the answer for an Idempotency-Key', { err: error });
          send(body);
        },
      );
      return res;
    };
    next();
  };
  // Most requests carry no key: they pass on synchronously, without a promise each.
  return (req, res, next) => {
    const header = req.method === 'POST' ? req.get(IDEMPOTENCY_HEADER) : undefined;
    if (header === undefined) {
      next();
      return;
    }
    return keyed(req, res, next, header);
  };
}

function inFlight(detail: string): HttpProblem {
  return new HttpProblem({
    status: 409,
    type: problemTypes.idempotencyKeyInFlight,
    title: 'Request with this Idempotency-Key in progress',
    detail,
    headers: { 'Retry-After': '1' },
  });
}
