import {
  EmailLinkQuerySchema,
  type EmailRecipient as EmailRecipientDto,
} from '@shelfwatch/contracts';
import type { PrismaClient } from '@shelfwatch/db';
import { escapeHtml, verifyLinkToken } from '@shelfwatch/mail';
import { HttpProblem, notFound, parseOrThrow } from '@shelfwatch/runtime';
import { Router, type Request, type Response } from 'express';
import { hashSecret } from '../access/credentials';
import { emailLinkExpired, invalidEmailLink } from './email-problems';
import { failLink, sendPage, wantsHtml } from './link-pages';
import { toEmailRecipientDto } from './recipient-mapper';

export const UNSUBSCRIBE_PATH = '/email/unsubscribe';
export const VERIFY_PATH = '/email/verify';

function tokenOf(req: Request): string {
  return parseOrThrow(EmailLinkQuerySchema, req.query, 'query').token;
}

function answer(
  req: Request,
  res: Response,
  recipient: EmailRecipientDto,
  title: string,
  text: string,
) {
  if (wantsHtml(req)) sendPage(res, 200, title, `<p>${escapeHtml(text)}</p>`);
  else res.set('Cache-Control', 'no-store').json(recipient);
}

/**
 * The pages the links in mail open, without signing in: the token is the credential. The
 * confirmation token is random and stored as SHA-256; the unsubscribe token is signed (HMAC)
 * with EMAIL_LINK_SECRET, so the notifier can make one without writing to the api's tables.
 */
export function emailLinksRouter(deps: {
  prisma: PrismaClient;
  /** Null when mail is not configured: unsubscribe links cannot be checked then. */
  linkSecret: string | null;
}): Router {
  const { prisma } = deps;
  const router = Router();

  router.get(VERIFY_PATH, async (req, res) => {
    const token = tokenOf(req);
    const row = await prisma.emailRecipient.findUnique({
      where: { verificationTokenHash: hashSecret(token) },
    });
    if (!row)
      return failLink(
        req,
        res,
        invalidEmailLink(
          'This confirmation link is not one shelfwatch issued, or its recipient was deleted.',
        ),
      );
    if (!row.verifiedAt && row.verificationExpiresAt && row.verificationExpiresAt <= new Date())
      return failLink(
        req,
        res,
        emailLinkExpired(
          `This confirmation link expired at ${row.verificationExpiresAt.toISOString()}; delete the recipient and add the address again for a new link.`,
        ),
      );
    // Opening the link twice is fine: the first confirmation stands.
    const verified = row.verifiedAt
      ? row
      : await prisma.emailRecipient.update({
          where: { id: row.id },
          data: { verifiedAt: new Date() },
        });
    answer(
      req,
      res,
      toEmailRecipientDto(verified),
      'Address confirmed',
      verified.unsubscribedAt
        ? `${verified.address} is confirmed but unsubscribed: no alerts are mailed to it.`
        : `Alerts will now be mailed to ${verified.address}.`,
    );
  });

  function recipientIdOf(req: Request): string | HttpProblem {
    const token = tokenOf(req);
    const id = deps.linkSecret ? verifyLinkToken(deps.linkSecret, 'unsubscribe', token) : null;
    return id ?? invalidEmailLink('This unsubscribe link is not one shelfwatch issued.');
  }

  // Opening the link only shows a button: mail scanners that follow links unsubscribe nobody.
  router.get(UNSUBSCRIBE_PATH, async (req, res) => {
    const id = recipientIdOf(req);
    if (id instanceof HttpProblem) return failLink(req, res, id);
    const row = await prisma.emailRecipient.findUnique({ where: { id } });
    if (!row)
      return failLink(req, res, notFound('This recipient was deleted: nothing is mailed to it.'));
    const action = `${UNSUBSCRIBE_PATH}?token=${encodeURIComponent(tokenOf(req))}`;
    sendPage(
      res,
      200,
      row.unsubscribedAt ? 'Already unsubscribed' : 'Unsubscribe',
      row.unsubscribedAt
        ? `<p>No alerts are mailed to ${escapeHtml(row.address)} any more.</p>`
        : `<p>Stop mailing shelfwatch alerts to ${escapeHtml(row.address)}?</p>\n<form method="post" action="${escapeHtml(action)}"><button type="submit" name="List-Unsubscribe" value="One-Click">Unsubscribe</button></form>`,
    );
  });

  router.post(UNSUBSCRIBE_PATH, async (req, res) => {
    const id = recipientIdOf(req);
    if (id instanceof HttpProblem) return failLink(req, res, id);
    const row = await prisma.emailRecipient.findUnique({ where: { id } });
    if (!row)
      return failLink(req, res, notFound('This recipient was deleted: nothing is mailed to it.'));
    const updated = row.unsubscribedAt
      ? row
      : await prisma.emailRecipient.update({ where: { id }, data: { unsubscribedAt: new Date() } });
    answer(
      req,
      res,
      toEmailRecipientDto(updated),
      'Unsubscribed',
      `No more alerts will be mailed to ${updated.address}.`,
    );
  });

  return router;
}
