import { randomBytes } from 'node:crypto';
import {
  ALL_ALERT_KINDS,
  CreateEmailRecipientRequestSchema,
  encodePageToken,
  IdSchema,
  ListEmailRecipientsQuerySchema,
  UpdateEmailRecipientRequestSchema,
  type EmailRecipientList,
} from '@shelfwatch/contracts';
import { Prisma, type PrismaClient } from '@shelfwatch/db';
import { verificationMail } from '@shelfwatch/mail';
import { HttpProblem, conflict, notFound, parseOrThrow } from '@shelfwatch/runtime';
import { Router } from 'express';
import { hashSecret } from '../access/credentials';
import { principalOf } from '../access/principal';
import { cursorIdFrom, pageOf } from '../read/page-cursor';
import type { ApiMail } from './api-mail';
import { mailUnavailable } from './email-problems';
import { toEmailRecipientDto } from './recipient-mapper';

function recipientNotFound(id: string) {
  return notFound(`Your account has no email recipient with id ${id}`);
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

async function requireOwnWatch(prisma: PrismaClient, accountId: string, watchId: string) {
  const watch = await prisma.watch.findFirst({
    where: { id: watchId, accountId },
    select: { id: true },
  });
  if (!watch) throw notFound(`Your account has no watch with id ${watchId} (watchId)`);
}

/** The confirmation link's token: 256 random bits, stored only as SHA-256. */
function newVerificationToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashSecret(token) };
}

export function verificationUrl(publicBaseUrl: string, token: string): string {
  const url = new URL('/email/verify', publicBaseUrl);
  url.searchParams.set('token', token);
  return url.toString();
}

const digestIntervalProblem = (message: string) =>
  HttpProblem.of('validationFailed', {
    detail: 'The request body is invalid (1 error).',
    errors: [{ path: 'body.digestIntervalMinutes', message }],
  });

export function emailRecipientsRouter(deps: {
  prisma: PrismaClient;
  newId: () => string;
  mail?: ApiMail;
}): Router {
  const { prisma, mail } = deps;
  const router = Router();

  router.post('/v1/email-recipients', async (req, res) => {
    const { accountId } = principalOf(res);
    const body = parseOrThrow(CreateEmailRecipientRequestSchema, req.body ?? {}, 'body');
    if (!mail)
      throw mailUnavailable(
        'This server has no SMTP server configured (SMTP_URL), so it cannot mail the confirmation link; nothing was stored.',
      );
    if (body.watchId) await requireOwnWatch(prisma, accountId, body.watchId);
    const { token, hash } = newVerificationToken();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + mail.verificationTtlSeconds * 1000);
    let mailError: unknown;
    try {
      // The confirmation mail goes out inside the transaction: a refused mail stores nothing,
      // so the caller can simply retry, and no recipient waits for a link that never came.
      const row = await prisma.$transaction(
        async (tx) => {
          const created = await tx.emailRecipient.create({
            data: {
              id: deps.newId(),
              accountId,
              address: body.address,
              alertKinds: body.kinds ?? [...ALL_ALERT_KINDS],
              watchId: body.watchId,
              label: body.label,
              deliveryMode: body.delivery,
              digestIntervalMinutes: body.digestIntervalMinutes,
              verificationTokenHash: hash,
              verificationExpiresAt: expiresAt,
              verificationSentAt: now,
            },
          });
          const content = verificationMail({
            verifyUrl: verificationUrl(mail.publicBaseUrl, token),
            expiresAt,
          });
          try {
            await mail.mailer.send({ to: created.address, ...content });
          } catch (error) {
            mailError = error;
            throw error;
          }
          return created;
        },
        { timeout: 30_000 },
      );
      res.status(201).location(`/v1/email-recipients/${row.id}`).json(toEmailRecipientDto(row));
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`Your account already mails ${body.address}`);
      if (mailError !== undefined)
        throw mailUnavailable(
          `The SMTP server did not accept the confirmation mail (${(mailError as Error).message}); nothing was stored, try again.`,
          mailError,
        );
      throw error;
    }
  });

  router.get('/v1/email-recipients', async (req, res) => {
    const { accountId } = principalOf(res);
    const query = parseOrThrow(ListEmailRecipientsQuerySchema, req.query, 'query');
    const beforeId = cursorIdFrom(query.page_token);
    const rows = await prisma.emailRecipient.findMany({
      where: { accountId, ...(beforeId ? { id: { lt: beforeId } } : {}) },
      orderBy: { id: 'desc' },
      take: query.page_size + 1,
    });
    const { page, last } = pageOf(rows, query.page_size);
    const body: EmailRecipientList = {
      items: page.map(toEmailRecipientDto),
      nextPageToken: last ? encodePageToken({ id: last.id }) : null,
    };
    res.json(body);
  });

  router.get('/v1/email-recipients/:id', async (req, res) => {
    const id = parseOrThrow(IdSchema, req.params.id, 'path');
    const row = await prisma.emailRecipient.findFirst({
      where: { id, accountId: principalOf(res).accountId },
    });
    if (!row) throw recipientNotFound(id);
    res.json(toEmailRecipientDto(row));
  });

  router.patch('/v1/email-recipients/:id', async (req, res) => {
    const id = parseOrThrow(IdSchema, req.params.id, 'path');
    const changes = parseOrThrow(UpdateEmailRecipientRequestSchema, req.body ?? {}, 'body');
    const { accountId } = principalOf(res);
    const current = await prisma.emailRecipient.findFirst({ where: { id, accountId } });
    if (!current) throw recipientNotFound(id);
    if (changes.watchId) await requireOwnWatch(prisma, accountId, changes.watchId);
    const delivery = changes.delivery ?? current.deliveryMode;
    const interval =
      changes.digestIntervalMinutes !== undefined
        ? changes.digestIntervalMinutes
        : delivery === 'each_alert'
          ? null
          : current.digestIntervalMinutes;
    if ((delivery === 'digest') !== (interval !== null))
      throw digestIntervalProblem(
        delivery === 'digest'
          ? 'digestIntervalMinutes is required when delivery is "digest"'
          : 'digestIntervalMinutes must be null when delivery is "each_alert"',
      );
    const { count } = await prisma.emailRecipient.updateMany({
      where: { id, accountId },
      data: {
        ...(changes.kinds !== undefined ? { alertKinds: changes.kinds } : {}),
        ...(changes.watchId !== undefined ? { watchId: changes.watchId } : {}),
        ...(changes.label !== undefined ? { label: changes.label } : {}),
        deliveryMode: delivery,
        digestIntervalMinutes: interval,
      },
    });
    if (count === 0) throw recipientNotFound(id);
    res.json(toEmailRecipientDto(await prisma.emailRecipient.findUniqueOrThrow({ where: { id } })));
  });

  router.delete('/v1/email-recipients/:id', async (req, res) => {
    const id = parseOrThrow(IdSchema, req.params.id, 'path');
    const { count } = await prisma.emailRecipient.deleteMany({
      where: { id, accountId: principalOf(res).accountId },
    });
    if (count === 0) throw recipientNotFound(id);
    res.status(204).end();
  });

  return router;
}
