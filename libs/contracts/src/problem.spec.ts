import { PROBLEM_CONTENT_TYPE, ProblemSchema, problemTypes } from './problem';

describe('problem details', () => {
  it('publishes one stable, distinct URI per error class under shelfwatch.dev/problems', () => {
    const uris = Object.values(problemTypes);
    expect(new Set(uris).size).toBe(uris.length);
    for (const uri of uris)
      expect(uri).toMatch(/^https:\/\/shelfwatch\.dev\/problems\/[a-z]+(-[a-z]+)*$/);
    expect(problemTypes).toMatchObject({
      validationFailed: 'https://shelfwatch.dev/problems/validation-failed',
      malformedJson: 'https://shelfwatch.dev/problems/malformed-json',
      unsupportedMediaType: 'https://shelfwatch.dev/problems/unsupported-media-type',
      payloadTooLarge: 'https://shelfwatch.dev/problems/payload-too-large',
      notFound: 'https://shelfwatch.dev/problems/not-found',
      routeNotFound: 'https://shelfwatch.dev/problems/route-not-found',
      conflict: 'https://shelfwatch.dev/problems/conflict',
      invalidPageToken: 'https://shelfwatch.dev/problems/invalid-page-token',
      methodNotAllowed: 'https://shelfwatch.dev/problems/method-not-allowed',
      internal: 'https://shelfwatch.dev/problems/internal',
      serviceUnavailable: 'https://shelfwatch.dev/problems/service-unavailable',
    });
    expect(PROBLEM_CONTENT_TYPE).toBe('application/problem+json');
  });

  it('accepts a validation problem with field errors and keeps extension members', () => {
    const problem = {
      type: problemTypes.validationFailed,
      title: 'Request validation failed',
      status: 400,
      detail: '1 invalid field',
      instance: '/v1/targets',
      errors: [{ path: 'url', message: 'must use http or https', code: 'custom' }],
      requestId: 'abc',
    };
    expect(ProblemSchema.parse(problem)).toEqual(problem);
  });

  it('rejects a problem without a title or with a non-error status', () => {
    expect(ProblemSchema.safeParse({ type: problemTypes.internal, status: 500 }).success).toBe(
      false,
    );
    expect(
      ProblemSchema.safeParse({ type: problemTypes.internal, title: 'OK', status: 200 }).success,
    ).toBe(false);
    expect(
      ProblemSchema.safeParse({ type: problemTypes.internal, title: 'Oops', status: 500.5 })
        .success,
    ).toBe(false);
  });
});
