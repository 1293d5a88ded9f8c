import type { Dispatcher } from 'undici';
import { BodyCollector, type ReadBody, type ReadBodyOptions } from './body-reader';

/** What a fetch sends its requests through: an undici Agent, or anything with its `dispatch`. */
export interface RequestDispatcher {
  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean;
}

export interface Exchange {
  status: number;
  /** Response headers, repeated ones joined with `, `. */
  headers: Record<string, string>;
  /** The body of a 2xx response; for any other status the body is not read. */
  body: ReadBody | undefined;
}

/** The reason a body that is not wanted (redirect, 304, error status) is aborted with. */
class BodyNotWanted extends Error {}

function flatHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/**
 * One request and its response through undici's dispatch API. Compared with `request`, no
 * Readable, AsyncResource or async iterator is made per response: the chunks go straight into a
 * BodyCollector, which enforces the size limits (ADR 0043). Only a 2xx body is read; any other
 * response settles at its headers and its body is aborted, as destroying it did before.
 * `signal` aborts the request at any point.
 */
export function exchange(
  dispatcher: RequestDispatcher,
  request: Dispatcher.DispatchOptions,
  signal: AbortSignal,
  bodyOptions: (headers: Record<string, string>) => ReadBodyOptions,
): Promise<Exchange> {
  return new Promise<Exchange>((resolve, reject) => {
    let settled = false;
    let controller: Dispatcher.DispatchController | undefined;
    let collector: BodyCollector | undefined;
    const onAbort = () => {
      const reason = signal.reason instanceof Error ? signal.reason : new Error('aborted');
      if (controller) controller.abort(reason);
      // Not started yet: onRequestStart aborts it once undici gets that far.
      if (!collector) fail(reason);
    };
    const done = () => {
      settled = true;
      signal.removeEventListener('abort', onAbort);
    };
    const fail = (error: unknown) => {
      if (settled) return;
      done();
      reject(error);
    };
    const succeed = (result: Exchange) => {
      if (settled) return;
      done();
      resolve(result);
    };
    if (signal.aborted) return void onAbort();
    signal.addEventListener('abort', onAbort, { once: true });

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(started) {
        controller = started;
        if (signal.aborted || settled) started.abort(new BodyNotWanted('request ended'));
      },
      onResponseStart(started, status, rawHeaders) {
        if (status < 200) return; // 1xx: the final response follows
        const headers = flatHeaders(rawHeaders);
        if (status >= 300) {
          succeed({ status, headers, body: undefined });
          started.abort(new BodyNotWanted(`status ${status}`));
          return;
        }
        try {
          collector = new BodyCollector(bodyOptions(headers), started);
        } catch (error) {
          fail(error);
          started.abort(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        collector.done.then((body) => succeed({ status, headers, body }), fail);
      },
      onResponseData(_controller, chunk) {
        collector?.push(chunk);
      },
      onResponseEnd() {
        collector?.end();
      },
      onResponseError(_controller, error) {
        if (collector) collector.fail(error);
        else fail(error);
      },
    };
    try {
      dispatcher.dispatch(request, handler);
    } catch (error) {
      fail(error);
    }
  });
}
