import { problemTypes } from '@shelfwatch/contracts';
import { HttpProblem } from '@shelfwatch/runtime';

export function invalidEmailLink(detail: string): HttpProblem {
  return new HttpProblem({
    status: 400,
    type: problemTypes.invalidEmailLink,
    title: 'Invalid email link',
    detail,
  });
}

export function emailLinkExpired(detail: string): HttpProblem {
  return new HttpProblem({
    status: 410,
    type: problemTypes.emailLinkExpired,
    title: 'Email link expired',
    detail,
  });
}

export function mailUnavailable(detail: string, cause?: unknown): HttpProblem {
  return new HttpProblem({
    status: 503,
    type: problemTypes.mailUnavailable,
    title: 'Mail unavailable',
    detail,
    headers: { 'Retry-After': '60' },
    cause,
  });
}
