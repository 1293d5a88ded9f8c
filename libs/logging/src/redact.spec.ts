import fc from 'fast-check';
import { REDACTED, isSensitiveKey, redact, redactByEveryPattern, redactString } from './redact';

// Pieces of text each of redactString's patterns matches, near misses, and what sits around them.
const SECRET_PIECES = [
  `sw_abcdefghijkm_${'Ab_-9'.repeat(8)}xyz`,
  'sw_session=abc',
  'Bearer abc',
  'basic dXNlcjpw',
  'TOKEN x',
  'eyJhbGciOi.eyJzdWIi',
  'postgres://u:p@h',
  '?token=1',
  '&id_token=',
  '?api_key=k',
  '&apikey=k',
  '?key=k',
  '&password=p',
  '?passwd=',
  '&secret=s',
  '?client_secret=s',
  '&sig=x',
  '?signature=x',
  '&access_token=',
  'pwd=x',
  'db_password: x',
  'client_secret=x',
  'api-key=x',
  'refresh_token:x',
  'sw_',
  'SW_',
  'eyJ',
  'EYJ',
  '.',
  'ab12',
  '://',
  ':',
  '@',
  '?',
  '&',
  '=',
  ' ',
  '/',
  'sig',
  'key',
  'pass',
  'api',
  '[REDACTED]',
  '%20',
  '/v1/products/0190c5a0-0000-7000-8000',
];

describe('redact', () => {
  it('gives what every pattern gives, also for text it lets through after its first scan', () => {
    const text = fc
      .array(fc.oneof(fc.constantFrom(...SECRET_PIECES), fc.string({ maxLength: 4 })), {
        maxLength: 5,
      })
      .map((pieces) => pieces.join(''));
    fc.assert(
      fc.property(text, (candidate) => {
        expect(redactString(candidate)).toBe(redactByEveryPattern(candidate));
      }),
      { numRuns: 5000 },
    );
  });

  it('masks shelfwatch API keys and session cookies in free text, keeping the key prefix', () => {
    const key = `sw_abcdefghijkm_${'Ab_-9'.repeat(8)}xyz`;
    const text = redactString(`created ${key}; Cookie: sw_session=tok_en-123; other=1`);
    expect(text).toBe(
      `created sw_abcdefghijkm_${REDACTED}; Cookie: sw_session=${REDACTED}; other=1`,
    );
    expect(redact({ body: { key, passwordHash: '$argon2id$v=19$...', csrfToken: 'c' } })).toEqual({
      body: { key: `sw_abcdefghijkm_${REDACTED}`, passwordHash: REDACTED, csrfToken: REDACTED },
    });
  });

  it('masks values under credential-bearing keys at any depth, whatever their spelling', () => {
    const redacted = redact({
      headers: {
        Authorization: 'Bearer abc',
        cookie: 'sid=1',
        'set-cookie': ['a=b'],
        'x-api-key': 'k',
      },
      nested: [
        { password: 'p', db_password: 'p2', apiKey: 'k2', api_key: 'k3', clientSecret: 's' },
      ],
      accessToken: 't',
    });
    expect(redacted).toEqual({
      headers: {
        Authorization: REDACTED,
        cookie: REDACTED,
        'set-cookie': REDACTED,
        'x-api-key': REDACTED,
      },
      nested: [
        {
          password: REDACTED,
          db_password: REDACTED,
          apiKey: REDACTED,
          api_key: REDACTED,
          clientSecret: REDACTED,
        },
      ],
      accessToken: REDACTED,
    });
  });

  it('leaves keys that only mention a secret word harmlessly alone', () => {
    expect(redact({ tokenCount: 3, secretName: 'db-url', passwordPolicy: 'strong' })).toEqual({
      tokenCount: 3,
      secretName: 'db-url',
      passwordPolicy: 'strong',
    });
    expect(isSensitiveKey('maxTokens')).toBe(false);
  });

  it('masks credentials embedded in strings', () => {
    expect(redactString('Authorization: Bearer eyJhbGciOi.payload.sig')).toBe(
      `Authorization: Bearer ${REDACTED}`,
    );
    expect(redactString('connecting to postgres://shelf:hunter2@db:5432/shelf')).toBe(
      `connecting to postgres://shelf:${REDACTED}@db:5432/shelf`,
    );
    expect(redactString('GET /v1/items?page=2&api_key=abc&token=xyz')).toBe(
      `GET /v1/items?page=2&api_key=${REDACTED}&token=${REDACTED}`,
    );
    expect(redactString('https://example.com/products/1?color=red')).toBe(
      'https://example.com/products/1?color=red',
    );
  });

  it('masks a JSON Web Token quoted inside an error message', () => {
    const jwt =
      'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJhdWQiOiJodHRwczovL3gifQ.c2lnbmF0dXJlLWJ5dGVz';
    expect(redactString(`Wrong number of segments in token: ${jwt}`)).toBe(
      `Wrong number of segments in token: ${REDACTED}`,
    );
    expect(redactString(`Can't parse the envelope: ${jwt.split('.').slice(0, 2).join('.')}`)).toBe(
      `Can't parse the envelope: ${REDACTED}`,
    );
    expect(redactString('version 1.2.3 of eyJ')).toBe('version 1.2.3 of eyJ');
  });

  it('keeps errors as name, message and stack, and survives cycles without changing the input', () => {
    const error = Object.assign(new Error('failed for postgres://u:pw@h/db'), { code: 'E1' });
    const input: Record<string, unknown> = { error, password: 'p' };
    input.self = input;
    const redacted = redact(input) as Record<string, unknown>;
    expect(redacted.error).toMatchObject({
      name: 'Error',
      message: `failed for postgres://u:${REDACTED}@h/db`,
      code: 'E1',
      stack: expect.stringContaining('Error: failed for postgres://u:[REDACTED]@h/db'),
    });
    expect(redacted.self).toBe('[Circular]');
    expect(input.password).toBe('p');
  });

  it('passes primitives and dates through', () => {
    const date = new Date(0);
    expect(redact(42)).toBe(42);
    expect(redact(null)).toBeNull();
    expect(redact({ at: date })).toEqual({ at: date });
  });
});

describe('redactString', () => {
  it('masks secrets written out as key=value or key: value in free text', () => {
    expect(redactString('login failed: password=hunter2 for user shelf')).toBe(
      `login failed: password=${REDACTED} for user shelf`,
    );
    expect(redactString('config {api_key: abc123, client_secret=xyz}')).toBe(
      `config {api_key: ${REDACTED}, client_secret=${REDACTED}}`,
    );
    expect(redactString('tokenCount: 3, secretName=db-url')).toBe(
      'tokenCount: 3, secretName=db-url',
    );
  });
});
