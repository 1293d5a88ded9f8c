import type { Problem } from './types';

/**
 * An answer that was not a success, with what the api said about it (RFC 9457 problem+json), so
 * pages can tell the person what to do instead of "something went wrong".
 */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;

  constructor(status: number, problem: Problem | undefined, fallback: string) {
    super(describeProblem(status, problem, fallback));
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

/** One sentence for a person: the api's detail and each field's message, or what to try. */
export function describeProblem(
  status: number,
  problem: Problem | undefined,
  fallback: string,
): string {
  if (!problem) {
    if (status === 0) return 'The server cannot be reached. Check that shelfwatch is running.';
    return `${fallback} (HTTP ${status}).`;
  }
  const fields = (problem.errors ?? [])
    .map((error) => (error.path ? `${error.path}: ${error.message}` : error.message))
    .join('; ');
  const what = problem.detail ?? problem.title;
  if (status === 429) return `${what} Wait a moment and try again.`;
  return fields && !what.includes(fields) ? `${what} ${fields}` : what;
}

export function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Problem).title === 'string' &&
    typeof (value as Problem).status === 'number'
  );
}
