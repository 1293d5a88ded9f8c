import { spawnSync } from 'node:child_process';
import path from 'node:path';

const SCENARIO = path.join(__dirname, 'fixtures', 'log-scenario.ts');
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

function runScenario(env: Record<string, string>): { lines: string[]; stderr: string } {
  const { METADATA_SERVER_DETECTION, PATH, HOME } = process.env;
  const result = spawnSync(process.execPath, ['--import', 'tsx', SCENARIO], {
    env: { PATH, HOME, METADATA_SERVER_DETECTION, GOOGLE_CLOUD_PROJECT: 'shelfwatch-test', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(result.status).toBe(0);
  return { lines: result.stdout.split('\n').filter((line) => line !== ''), stderr: result.stderr };
}

describe('on Cloud Run (K_SERVICE set)', () => {
  let entries: Array<Record<string, unknown>>;
  let rawLines: string[];

  beforeAll(() => {
    const { lines, stderr } = runScenario({ K_SERVICE: 'scenario', K_REVISION: 'scenario-00001' });
    expect(stderr).toBe('');
    rawLines = lines;
    entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  });

  const entryWithMessage = (pattern: RegExp) => {
    const entry = entries.find((candidate) => pattern.test(String(candidate.message)));
    if (!entry) throw new Error(`no entry matches ${pattern}: ${rawLines.join('\n')}`);
    return entry;
  };

  it('writes every entry as one JSON line with a severity and a message', () => {
    expect(entries.length).toBeGreaterThanOrEqual(6);
    for (const entry of entries) {
      expect(entry.severity).toMatch(/^(DEBUG|INFO|WARNING|ERROR)$/);
      expect(typeof entry.message).toBe('string');
    }
  });

  it('carries the traceparent trace on every line logged inside that request', () => {
    const inside = entryWithMessage(/^listing products/);
    const requestLog = entryWithMessage(/^GET \/products\?page=2 200/);
    for (const entry of [inside, requestLog]) {
      expect(entry['logging.googleapis.com/trace']).toBe(
        `projects/shelfwatch-test/traces/${TRACE_ID}`,
      );
      expect(entry['logging.googleapis.com/spanId']).toBe('b7ad6b7169203331');
      expect(entry['logging.googleapis.com/trace_sampled']).toBe(true);
    }
    expect(entryWithMessage(/^service starting/)['logging.googleapis.com/trace']).toBeUndefined();
  });

  it('converts the decimal span id of X-Cloud-Trace-Context to 16 hex digits', () => {
    const entry = entryWithMessage(/^could not list products/);
    expect(entry['logging.googleapis.com/trace']).toBe(
      'projects/shelfwatch-test/traces/105445aa7843bc8bf206b12000100000',
    );
    expect(entry['logging.googleapis.com/spanId']).toBe('000000000000007b');
    expect(entry['logging.googleapis.com/trace_sampled']).toBe(true);
  });

  it('logs each request once with httpRequest fields, latency and a severity by status', () => {
    const ok = entryWithMessage(/^GET \/products/);
    expect(ok.severity).toBe('INFO');
    expect(ok.httpRequest).toMatchObject({
      requestMethod: 'GET',
      requestUrl: '/products?page=2',
      status: 200,
      userAgent: 'scenario-agent/1.0',
      protocol: 'HTTP/1.1',
      latency: expect.stringMatching(/^\d+\.\d{3}s$/),
    });
    expect(entryWithMessage(/^GET \/broken 500/).severity).toBe('ERROR');
    // A dependency outage is not a bug: the service answered as designed.
    expect(entryWithMessage(/^GET \/unavailable 503/).severity).toBe('WARNING');
    expect(
      entries.filter((entry) => String(entry.message).startsWith('GET /products?page=2')),
    ).toHaveLength(1);
  });

  it('writes the request line in the shape of every other entry, plus httpRequest', () => {
    const requestLine = entryWithMessage(/^GET \/products\?page=2 200/);
    const inside = entryWithMessage(/^listing products/);
    expect(Object.keys(requestLine).sort()).toEqual([...Object.keys(inside), 'httpRequest'].sort());
    expect(requestLine.metadata).toEqual({});
    expect(requestLine.logName).toBe(inside.logName);
    expect(requestLine.timestamp).toEqual({
      seconds: expect.any(Number),
      nanos: expect.any(Number),
    });
  });

  it("keeps a child logger's metadata on the request lines it writes", () => {
    const line = entryWithMessage(/^GET \/through-a-child 200/);
    expect(line.httpRequest).toMatchObject({ requestUrl: '/through-a-child', status: 200 });
    expect(JSON.stringify(line)).toContain('"component":"edge"');
  });

  it("redacts secrets in a request line's URL, referer and user agent", () => {
    const line = entryWithMessage(/^GET \/products\?token=/);
    expect(line.message).toMatch(/^GET \/products\?token=\[REDACTED\] 200 /);
    expect(line.httpRequest).toMatchObject({
      requestUrl: '/products?token=[REDACTED]',
      referer: 'https://shop.example/back?api_key=[REDACTED]',
      userAgent: 'curl/8 Authorization: Bearer [REDACTED]',
    });
    const output = rawLines.join('\n');
    for (const secret of ['url-s3cret', 'referer-s3cret', 'agent-s3cret'])
      expect(output).not.toContain(secret);
  });

  it('keeps the stack of logged errors in the message, with a serviceContext for Error Reporting', () => {
    const nested = entryWithMessage(/^could not list products/);
    expect(nested.severity).toBe('ERROR');
    expect(nested.message).toMatch(/Error: database is gone\n\s+at /);
    expect(nested.serviceContext).toEqual({ service: 'scenario', version: 'scenario-00001' });

    const direct = entryWithMessage(/^thrown straight into the logger/);
    expect(direct.message).toMatch(/Error: thrown straight into the logger\n\s+at /);
  });

  it('redacts credentials in headers, fields and messages', () => {
    const output = rawLines.join('\n');
    for (const secret of [
      'hunter2',
      's3cr3t-t0ken',
      'session=abc123',
      'k-123',
      'leaked.jwt.value',
    ]) {
      expect(output).not.toContain(secret);
    }
    const headers = (
      entryWithMessage(/^listing products/).metadata as { headers: Record<string, string> }
    ).headers;
    expect(headers).toMatchObject({
      authorization: '[REDACTED]',
      cookie: '[REDACTED]',
      'x-api-key': '[REDACTED]',
      'user-agent': 'scenario-agent/1.0',
    });
    expect(entryWithMessage(/^service starting/).metadata).toEqual({
      databaseUrl: 'postgres://shelf:[REDACTED]@127.0.0.1:5432/shelf',
      password: '[REDACTED]',
    });
    expect(entryWithMessage(/^upstream said/).message).toBe(
      'upstream said: Authorization: Bearer [REDACTED]',
    );
  });
});

describe('above info (LOG_LEVEL=error)', () => {
  it('writes no line for successful requests, and still the error lines with their trace', () => {
    const { lines, stderr } = runScenario({ K_SERVICE: 'scenario', LOG_LEVEL: 'error' });
    expect(stderr).toBe('');
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.some((entry) => String(entry.message).startsWith('GET /products'))).toBe(false);
    const broken = entries.find((entry) => String(entry.message).startsWith('GET /broken 500'));
    expect(broken).toMatchObject({ severity: 'ERROR', httpRequest: { status: 500 } });
    expect(broken?.['logging.googleapis.com/trace']).toMatch(/105445aa7843bc8bf206b12000100000$/);
    expect(entries.every((entry) => entry.severity === 'ERROR')).toBe(true);
  });
});

describe('elsewhere (no K_SERVICE)', () => {
  it('writes one readable, redacted line per entry', () => {
    const { lines } = runScenario({});
    expect(lines).toHaveLength(11);
    for (const line of lines) {
      expect(line).toMatch(/^\d{2}:\d{2}:\d{2}\.\d{3} (DEBUG|INFO |WARN |ERROR) \[scenario\] /);
      expect(() => JSON.parse(line)).toThrow();
    }
    expect(lines.find((line) => line.includes('thrown straight'))).toMatch(
      /Error: thrown straight into the logger \| at /,
    );
    expect(lines.join('\n')).not.toMatch(/hunter2|s3cr3t-t0ken|abc123|k-123|leaked\.jwt/);
  });
});
