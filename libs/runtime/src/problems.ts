// The problem types the runtime raises, with their titles and statuses. The `type` URIs come
// from the contracts registry, so clients see one stable set across every service.
import { PROBLEM_CONTENT_TYPE, problemTypes } from '@shelfwatch/contracts';

export { PROBLEM_CONTENT_TYPE };

/** One stable `type` URI, `title` and status per class of error (RFC 9457). */
export const runtimeProblems = {
  badRequest: { type: problemTypes.badRequest, title: 'Bad request', status: 400 },
  validationFailed: {
    type: problemTypes.validationFailed,
    title: 'Request validation failed',
    status: 400,
  },
  malformedJson: {
    type: problemTypes.malformedJson,
    title: 'Malformed JSON body',
    status: 400,
  },
  unsupportedMediaType: {
    type: problemTypes.unsupportedMediaType,
    title: 'Unsupported media type',
    status: 415,
  },
  payloadTooLarge: {
    type: problemTypes.payloadTooLarge,
    title: 'Payload too large',
    status: 413,
  },
  notFound: { type: problemTypes.notFound, title: 'Resource not found', status: 404 },
  routeNotFound: {
    type: problemTypes.routeNotFound,
    title: 'Route not found',
    status: 404,
  },
  conflict: { type: problemTypes.conflict, title: 'Conflict', status: 409 },
  unauthorized: { type: problemTypes.unauthorized, title: 'Unauthorized', status: 401 },
  forbidden: { type: problemTypes.forbidden, title: 'Forbidden', status: 403 },
  methodNotAllowed: {
    type: problemTypes.methodNotAllowed,
    title: 'Method not allowed',
    status: 405,
  },
  tooManyRequests: {
    type: problemTypes.tooManyRequests,
    title: 'Too many requests',
    status: 429,
  },
  internal: { type: problemTypes.internal, title: 'Internal server error', status: 500 },
  serviceUnavailable: {
    type: problemTypes.serviceUnavailable,
    title: 'Service unavailable',
    status: 503,
  },
} as const satisfies Record<string, { type: string; title: string; status: number }>;

export type RuntimeProblemKind = keyof typeof runtimeProblems;

/** The `type` URI of each runtime problem, keyed like `runtimeProblems`. */
export const runtimeProblemTypes = Object.fromEntries(
  Object.entries(runtimeProblems).map(([kind, problem]) => [kind, problem.type]),
) as { [K in RuntimeProblemKind]: (typeof runtimeProblems)[K]['type'] };
