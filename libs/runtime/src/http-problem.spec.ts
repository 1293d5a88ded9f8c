import { z } from 'zod';
import { HttpProblem, conflict, notFound, parseOrThrow, validationFailed } from './http-problem';

const targetSchema = z.strictObject({
  url: z.url(),
  tags: z.array(z.string().min(1)).optional(),
});

describe('validationFailed', () => {
  it('lists every issue with its path inside the request part, naming unknown fields', () => {
    const result = targetSchema.safeParse({ tags: ['ok', ''], colour: 'red', size: 1 });
    if (result.success) throw new Error('expected invalid input');
    const problem = validationFailed(result.error, 'body');
    expect(problem.status).toBe(400);
    expect(problem.type).toBe('https://shelfwatch.dev/problems/validation-failed');
    expect(problem.errors).toEqual([
      { path: 'body.url', message: 'is required', code: 'invalid_type' },
      { path: 'body.tags[1]', message: expect.any(String), code: 'too_small' },
      { path: 'body.colour', message: 'unknown field "colour"', code: 'unrecognized_keys' },
      { path: 'body.size', message: 'unknown field "size"', code: 'unrecognized_keys' },
    ]);
    expect(problem.detail).toBe('The request body is invalid (4 errors).');
  });
});

describe('parseOrThrow', () => {
  it('returns the parsed value or throws a validation problem for the request part', () => {
    expect(parseOrThrow(z.object({ limit: z.coerce.number() }), { limit: '5' }, 'query')).toEqual({
      limit: 5,
    });
    expect(() => parseOrThrow(z.object({ id: z.uuid() }), { id: 'x' }, 'path')).toThrow(
      HttpProblem,
    );
    try {
      parseOrThrow(z.object({ id: z.uuid() }), { id: 'x' }, 'path');
    } catch (error) {
      expect((error as HttpProblem).errors?.[0]?.path).toBe('path.id');
    }
  });
});

describe('HttpProblem', () => {
  it('renders an RFC 9457 document with its stable type, extensions and instance', () => {
    expect(notFound('No target 42').toDocument('/v1/targets/42')).toEqual({
      type: 'https://shelfwatch.dev/problems/not-found',
      title: 'Resource not found',
      status: 404,
      detail: 'No target 42',
      instance: '/v1/targets/42',
    });
    const problem = new HttpProblem({
      type: 'https://shelfwatch.dev/problems/rate-limited',
      title: 'Too many requests',
      status: 429,
      extensions: { retryAfterSeconds: 30 },
    });
    expect(problem.toDocument()).toEqual({
      type: 'https://shelfwatch.dev/problems/rate-limited',
      title: 'Too many requests',
      status: 429,
      retryAfterSeconds: 30,
    });
    expect(conflict('Already watched')).toMatchObject({ status: 409, message: 'Already watched' });
  });
});
