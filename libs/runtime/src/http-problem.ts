import { z } from 'zod';
import { runtimeProblems, type RuntimeProblemKind } from './problems';

/** One field-level error inside a problem, e.g. `{ path: 'body.url', message: 'Invalid URL', code: 'invalid_format' }`. */
export interface ProblemFieldError {
  path: string;
  message: string;
  code?: string;
}

/** An RFC 9457 problem details document. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: ProblemFieldError[];
  [extension: string]: unknown;
}

export interface HttpProblemInit {
  status: number;
  type: string;
  title: string;
  detail?: string;
  errors?: ProblemFieldError[];
  /** Response headers to send with the problem, e.g. `Retry-After` or `Allow`. */
  headers?: Record<string, string>;
  /** Extra members of the problem document (RFC 9457 extensions). */
  extensions?: Record<string, unknown>;
  cause?: unknown;
}

/** Where in the request a validated value came from; prefixes field paths in problems. */
export type RequestPart = 'body' | 'query' | 'path' | 'headers';

/** An error that answers the request with the given status and problem+json document. */
export class HttpProblem extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail?: string;
  readonly errors?: ProblemFieldError[];
  readonly headers?: Record<string, string>;
  readonly extensions?: Record<string, unknown>;

  constructor(init: HttpProblemInit) {
    super(init.detail ?? init.title, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'HttpProblem';
    this.status = init.status;
    this.type = init.type;
    this.title = init.title;
    this.detail = init.detail;
    this.errors = init.errors;
    this.headers = init.headers;
    this.extensions = init.extensions;
  }

  /** A problem of one of the runtime's own kinds. */
  static of(
    kind: RuntimeProblemKind,
    init: Omit<HttpProblemInit, 'type' | 'title' | 'status'> = {},
  ): HttpProblem {
    return new HttpProblem({ ...runtimeProblems[kind], ...init });
  }

  toDocument(instance?: string): ProblemDocument {
    const document: ProblemDocument = {
      ...this.extensions,
      type: this.type,
      title: this.title,
      status: this.status,
    };
    if (this.detail !== undefined) document.detail = this.detail;
    if (instance !== undefined) document.instance = instance;
    if (this.errors !== undefined) document.errors = this.errors;
    return document;
  }
}

export function badRequest(detail: string, errors?: ProblemFieldError[]): HttpProblem {
  return HttpProblem.of('badRequest', { detail, errors });
}

export function notFound(detail: string): HttpProblem {
  return HttpProblem.of('notFound', { detail });
}

export function conflict(detail: string): HttpProblem {
  return HttpProblem.of('conflict', { detail });
}

/** A 400 validation-failed problem listing every zod issue with its path inside the request part. */
export function validationFailed(error: z.ZodError, where?: RequestPart): HttpProblem {
  const errors = error.issues.flatMap((issue) => toFieldErrors(issue, where));
  const count = `${errors.length} ${errors.length === 1 ? 'error' : 'errors'}`;
  return HttpProblem.of('validationFailed', {
    detail: where
      ? `The request ${where} is invalid (${count}).`
      : `The request is invalid (${count}).`,
    errors,
    cause: error,
  });
}

/** Parses `value` with `schema`, or throws a validation-failed problem naming every bad field. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: RequestPart,
): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationFailed(result.error, where);
  return result.data;
}

function toFieldErrors(
  issue: z.core.$ZodIssue,
  where: RequestPart | undefined,
): ProblemFieldError[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: fieldPath(where, [...issue.path, key]),
      message: `unknown field "${key}"`,
      code: issue.code,
    }));
  }
  const missing = issue.code === 'invalid_type' && / received undefined$/.test(issue.message);
  return [
    {
      path: fieldPath(where, issue.path),
      message: missing ? 'is required' : issue.message,
      code: issue.code,
    },
  ];
}

function fieldPath(where: RequestPart | undefined, path: readonly PropertyKey[]): string {
  let result = where ?? '';
  for (const segment of path) {
    result +=
      typeof segment === 'number' ? `[${segment}]` : `${result ? '.' : ''}${String(segment)}`;
  }
  return result || '(root)';
}
