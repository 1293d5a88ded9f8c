import { z } from 'zod';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const PROBLEM_TYPE_BASE_URI = 'https://shelfwatch.dev/problems/';

/**
 * Stable problem `type` URIs, one per error class. Clients branch on these, so a URI never
 * changes meaning once published; add new ones instead.
 */
export const problemTypes = {
  badRequest: `${PROBLEM_TYPE_BASE_URI}bad-request`,
  validationFailed: `${PROBLEM_TYPE_BASE_URI}validation-failed`,
  malformedJson: `${PROBLEM_TYPE_BASE_URI}malformed-json`,
  unsupportedMediaType: `${PROBLEM_TYPE_BASE_URI}unsupported-media-type`,
  payloadTooLarge: `${PROBLEM_TYPE_BASE_URI}payload-too-large`,
  notFound: `${PROBLEM_TYPE_BASE_URI}not-found`,
  routeNotFound: `${PROBLEM_TYPE_BASE_URI}route-not-found`,
  conflict: `${PROBLEM_TYPE_BASE_URI}conflict`,
  unauthorized: `${PROBLEM_TYPE_BASE_URI}unauthorized`,
  forbidden: `${PROBLEM_TYPE_BASE_URI}forbidden`,
  invalidPageToken: `${PROBLEM_TYPE_BASE_URI}invalid-page-token`,
  methodNotAllowed: `${PROBLEM_TYPE_BASE_URI}method-not-allowed`,
  tooManyRequests: `${PROBLEM_TYPE_BASE_URI}too-many-requests`,
  csrfTokenMissing: `${PROBLEM_TYPE_BASE_URI}csrf-token-missing`,
  insufficientScope: `${PROBLEM_TYPE_BASE_URI}insufficient-scope`,
  idempotencyKeyReused: `${PROBLEM_TYPE_BASE_URI}idempotency-key-reused`,
  idempotencyKeyInFlight: `${PROBLEM_TYPE_BASE_URI}idempotency-key-in-flight`,
  addressRefused: `${PROBLEM_TYPE_BASE_URI}address-refused`,
  invalidEmailLink: `${PROBLEM_TYPE_BASE_URI}invalid-email-link`,
  emailLinkExpired: `${PROBLEM_TYPE_BASE_URI}email-link-expired`,
  mailUnavailable: `${PROBLEM_TYPE_BASE_URI}mail-unavailable`,
  internal: `${PROBLEM_TYPE_BASE_URI}internal`,
  serviceUnavailable: `${PROBLEM_TYPE_BASE_URI}service-unavailable`,
} as const;

export type ProblemType = (typeof problemTypes)[keyof typeof problemTypes];

export const ProblemFieldErrorSchema = z
  .object({
    path: z.string().meta({
      description: 'Dotted path of the offending field; empty for the document itself.',
      example: 'checkIntervalSeconds',
    }),
    message: z.string(),
    code: z.string().optional(),
  })
  .meta({ id: 'ProblemFieldError', description: 'One invalid field of a rejected request.' });

/**
 * RFC 9457 problem details. Loose on purpose: the RFC allows extension members, and a client
 * must not break when a new one appears.
 */
export const ProblemSchema = z
  .looseObject({
    type: z.string().min(1).meta({
      format: 'uri-reference',
      description: 'Stable URI identifying the problem type.',
      example: problemTypes.notFound,
    }),
    title: z.string().min(1).meta({
      description: 'Short, human-readable summary of the problem type.',
      example: 'Not found',
    }),
    status: z
      .int()
      .min(400)
      .max(599)
      .meta({ description: 'HTTP status code of this occurrence.', example: 404 }),
    detail: z.string().optional().meta({ description: 'Explanation specific to this occurrence.' }),
    instance: z
      .string()
      .optional()
      .meta({ format: 'uri-reference', description: 'URI reference identifying this occurrence.' }),
    errors: z
      .array(ProblemFieldErrorSchema)
      .optional()
      .meta({ description: 'Per-field validation errors.' }),
  })
  .meta({
    id: 'Problem',
    description: 'RFC 9457 problem details, served as application/problem+json.',
    example: {
      type: problemTypes.validationFailed,
      title: 'Request validation failed',
      status: 400,
      detail: 'The request body has 1 invalid field.',
      instance: '/v1/targets',
      errors: [{ path: 'url', message: 'must use http or https' }],
    },
  });

export type Problem = z.infer<typeof ProblemSchema>;
export type ProblemFieldError = z.infer<typeof ProblemFieldErrorSchema>;
