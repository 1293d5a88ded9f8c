/** Cloud Logging's structured-log keys that tie an entry to a trace (as Cloud Run's log agent reads them). */
export const TRACE_KEY = 'logging.googleapis.com/trace';
export const SPAN_ID_KEY = 'logging.googleapis.com/spanId';
export const TRACE_SAMPLED_KEY = 'logging.googleapis.com/trace_sampled';

export interface TraceContext {
  /** `projects/<project>/traces/<32 hex>` when a project is known, otherwise the bare trace id. */
  trace?: string;
  /** 16 lower-case hex digits. */
  spanId?: string;
  traceSampled?: boolean;
}

export interface TraceLogFields {
  [TRACE_KEY]?: string;
  [SPAN_ID_KEY]?: string;
  [TRACE_SAMPLED_KEY]?: boolean;
}

export type HeaderBag = Record<string, string | string[] | undefined>;

// W3C Trace Context: version-traceid-parentid-flags; all-zero ids are invalid, version ff is forbidden.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
// Google's legacy header: TRACE_ID/SPAN_ID;o=OPTIONS where SPAN_ID is an unsigned 64-bit decimal.
const X_CLOUD_TRACE = /^([0-9a-f]{32})(?:\/(\d+))?(?:;o=(\d+))?$/;
const MAX_SPAN_ID = (1n << 64n) - 1n;

/**
 * Reads the caller's trace context from `traceparent` (preferred) or `X-Cloud-Trace-Context`.
 * Returns an empty object when neither header carries a valid context.
 */
export function parseTraceContext(headers: HeaderBag, projectId?: string): TraceContext {
  const parsed =
    parseTraceparent(headerValue(headers, 'traceparent')) ??
    parseXCloudTrace(headerValue(headers, 'x-cloud-trace-context'));
  if (!parsed) return {};
  const context: TraceContext = {
    trace: projectId ? `projects/${projectId}/traces/${parsed.traceId}` : parsed.traceId,
    traceSampled: parsed.sampled,
  };
  if (parsed.spanId) context.spanId = parsed.spanId;
  return context;
}

/** The trace context as the fields Cloud Logging reads from a structured log line. */
export function traceLogFields(context: TraceContext): TraceLogFields {
  const fields: TraceLogFields = {};
  if (context.trace) fields[TRACE_KEY] = context.trace;
  if (context.spanId) fields[SPAN_ID_KEY] = context.spanId;
  if (context.traceSampled !== undefined) fields[TRACE_SAMPLED_KEY] = context.traceSampled;
  return fields;
}

interface ParsedContext {
  traceId: string;
  spanId?: string;
  sampled: boolean;
}

function parseTraceparent(header: string | undefined): ParsedContext | undefined {
  const match = header?.trim().toLowerCase().match(TRACEPARENT);
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, extra] = match;
  if (version === 'ff' || (version === '00' && extra)) return undefined;
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return { traceId, spanId, sampled: (parseInt(flags, 16) & 1) === 1 };
}

function parseXCloudTrace(header: string | undefined): ParsedContext | undefined {
  const match = header?.trim().toLowerCase().match(X_CLOUD_TRACE);
  if (!match) return undefined;
  const [, traceId, decimalSpanId, options] = match;
  if (/^0+$/.test(traceId)) return undefined;
  return { traceId, spanId: decimalToHexSpanId(decimalSpanId), sampled: options === '1' };
}

function decimalToHexSpanId(decimal: string | undefined): string | undefined {
  if (!decimal) return undefined;
  const value = BigInt(decimal);
  if (value === 0n || value > MAX_SPAN_ID) return undefined;
  return value.toString(16).padStart(16, '0');
}

function headerValue(headers: HeaderBag, name: string): string | undefined {
  const value =
    headers[name] ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  return Array.isArray(value) ? value[0] : value;
}
