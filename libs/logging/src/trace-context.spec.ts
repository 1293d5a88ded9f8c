import { parseTraceContext, traceLogFields } from './trace-context';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('parseTraceContext', () => {
  it('reads a W3C traceparent into a project-qualified trace, span id and sampled flag', () => {
    expect(
      parseTraceContext({ traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` }, 'shelfwatch-test'),
    ).toEqual({
      trace: `projects/shelfwatch-test/traces/${TRACE_ID}`,
      spanId: '00f067aa0ba902b7',
      traceSampled: true,
    });
    expect(
      parseTraceContext({ traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-00` }).traceSampled,
    ).toBe(false);
  });

  it('reads X-Cloud-Trace-Context, turning its decimal span id into 16 hex digits', () => {
    expect(parseTraceContext({ 'x-cloud-trace-context': `${TRACE_ID}/123;o=1` }, 'p')).toEqual({
      trace: `projects/p/traces/${TRACE_ID}`,
      spanId: '000000000000007b',
      traceSampled: true,
    });
    expect(
      parseTraceContext({ 'X-Cloud-Trace-Context': `${TRACE_ID}/18446744073709551615` }),
    ).toEqual({
      trace: TRACE_ID,
      spanId: 'ffffffffffffffff',
      traceSampled: false,
    });
    expect(parseTraceContext({ 'x-cloud-trace-context': TRACE_ID })).toEqual({
      trace: TRACE_ID,
      traceSampled: false,
    });
  });

  it('prefers traceparent when both headers are present', () => {
    const context = parseTraceContext({
      traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
      'x-cloud-trace-context': '105445aa7843bc8bf206b12000100000/1;o=1',
    });
    expect(context.trace).toBe(TRACE_ID);
  });

  it('ignores malformed or all-zero contexts', () => {
    for (const traceparent of [
      'garbage',
      `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`,
      `00-${TRACE_ID}-${'0'.repeat(16)}-01`,
      `ff-${TRACE_ID}-00f067aa0ba902b7-01`,
      `00-${TRACE_ID}-00f067aa0ba902b7-01-extra`,
    ]) {
      expect(parseTraceContext({ traceparent })).toEqual({});
    }
    expect(parseTraceContext({ 'x-cloud-trace-context': 'not-a-trace/1' })).toEqual({});
    expect(parseTraceContext({})).toEqual({});
  });
});

describe('traceLogFields', () => {
  it("names the fields the way Cloud Logging's structured logs expect, omitting what is unknown", () => {
    expect(
      traceLogFields({
        trace: 'projects/p/traces/t',
        spanId: '000000000000007b',
        traceSampled: false,
      }),
    ).toEqual({
      'logging.googleapis.com/trace': 'projects/p/traces/t',
      'logging.googleapis.com/spanId': '000000000000007b',
      'logging.googleapis.com/trace_sampled': false,
    });
    expect(traceLogFields({})).toEqual({});
  });
});
