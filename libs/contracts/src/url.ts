import { z } from 'zod';

export const MAX_URL_LENGTH = 2048;

/**
 * Why a string is not an absolute http(s) URL we are willing to fetch, or null when it is.
 * Address-level checks (loopback, private ranges) are not made here: they depend on DNS at
 * fetch time and belong to the scraper's SSRF guard.
 */
export function httpUrlProblem(value: string, maxLength = MAX_URL_LENGTH): string | null {
  if (value.length > maxLength) return `must be at most ${maxLength} characters`;
  if (value.trim() !== value) return 'must not have leading or trailing whitespace';
  if (!URL.canParse(value)) return 'must be an absolute URL';
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use http or https';
  if (url.username !== '' || url.password !== '') return 'must not contain credentials';
  if (url.hostname === '') return 'must have a host';
  return null;
}

/** Absolute http: or https: URL without credentials, at most 2048 characters. */
export const HttpUrlSchema = z
  .string({ error: 'must be a string' })
  .superRefine((value, ctx) => {
    const problem = httpUrlProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({
    format: 'uri',
    maxLength: MAX_URL_LENGTH,
    description: 'Absolute http or https URL without credentials, at most 2048 characters.',
    example: 'https://shop.example.com/products/espresso-machine',
  });
