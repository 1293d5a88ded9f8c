import type { Dispatcher } from 'undici';
import type { AttemptResult } from '../delivery/channel';

const EXCERPT_BYTES = 1024;

export interface PostWebhookOptions {
  /**
   * Sends the POST: an undici Agent, or anything with its promise-returning `request`. Connections
   * go through it: the address guard checks each at connect time.
   */
  dispatcher: Pick<Dispatcher, 'request'>;
  /** Success is a 2xx within this time, headers and excerpt included. */
  timeoutMs: number;
}

/** Drops C0 controls but tab, newline and carriage return, and DEL: an excerpt is shown as text. */
function withoutControlCharacters(text: string): string {
  return [...text]
    .filter((char) => {
      const code = char.charCodeAt(0);
      return code === 9 || code === 10 || code === 13 || (code >= 32 && code !== 127);
    })
    .join('');
}

/** The first bytes of an answer, as text without control characters. */
async function excerptOf(body: Dispatcher.ResponseData['body']): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= EXCERPT_BYTES) break;
  }
  body.destroy();
  if (size === 0) return null;
  const text = withoutControlCharacters(
    Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8'),
  );
  return text.replace(/\uFFFD$/, '');
}

function describeError(error: unknown, timeoutMs: number): string {
  const failure = error as { name?: string; code?: string; message?: string; cause?: unknown };
  if (
    failure.name === 'AbortError' ||
    failure.name === 'TimeoutError' ||
    failure.code === 'UND_ERR_HEADERS_TIMEOUT' ||
    failure.code === 'UND_ERR_BODY_TIMEOUT'
  )
    return `no answer within ${timeoutMs} ms`;
  if (failure.name === 'AddressRefusedError')
    return `refused by the address guard: ${failure.message}`;
  const cause = failure.cause as { name?: string; message?: string; code?: string } | undefined;
  if (cause?.name === 'AddressRefusedError')
    return `refused by the address guard: ${cause.message}`;
  return [failure.code, failure.message].filter(Boolean).join(': ') || 'request failed';
}

/**
 * One POST of a signed delivery. Redirects are not followed (a 3xx is a failure like any other
 * non-2xx), so every byte goes only to the address the guard checked for this connection.
 */
export async function postWebhook(
  url: string,
  headers: Record<string, string>,
  payload: string,
  options: PostWebhookOptions,
): Promise<AttemptResult> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const target = new URL(url);
    const response = await options.dispatcher.request({
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json',
        'user-agent': 'shelfwatch-webhooks/1',
      },
      body: payload,
      signal,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    const excerpt = await excerptOf(response.body).catch(() => null);
    const succeeded = response.statusCode >= 200 && response.statusCode < 300;
    return {
      succeeded,
      status: response.statusCode,
      latencyMs: latency(),
      responseExcerpt: excerpt,
      error: succeeded
        ? null
        : response.statusCode >= 300 && response.statusCode < 400
          ? `answered ${response.statusCode} (redirects are not followed)`
          : `answered ${response.statusCode}`,
    };
  } catch (error) {
    return {
      succeeded: false,
      status: null,
      latencyMs: latency(),
      responseExcerpt: null,
      error: describeError(error, options.timeoutMs),
    };
  }
}
