import { escapeHtml, htmlDocument } from '@shelfwatch/mail';
import { HttpProblem } from '@shelfwatch/runtime';
import type { Request, Response } from 'express';

const FOOTER = 'shelfwatch: price and stock alerts for the pages you watch.';

/** A browser (or a bare link click) gets a page; a program asking for JSON gets JSON. */
export function wantsHtml(req: Request): boolean {
  return req.accepts(['html', 'json']) !== 'json';
}

export function sendPage(res: Response, status: number, title: string, body: string): void {
  res
    .status(status)
    .type('html')
    // The page carries a token in its form: never cache it, never let it be framed.
    .set({
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; form-action 'self'",
    })
    .send(htmlDocument(title, `<h1>${escapeHtml(title)}</h1>\n${body}`, FOOTER));
}

/** A problem as a page for browsers; thrown on as problem+json for everyone else. */
export function failLink(req: Request, res: Response, problem: HttpProblem): void {
  if (!wantsHtml(req)) throw problem;
  sendPage(res, problem.status, problem.title, `<p>${escapeHtml(problem.detail ?? '')}</p>`);
}
