export {
  createLogger,
  projectIdOf,
  type CreateLoggerOptions,
  type LogFormat,
  type Logger,
} from './create-logger';
export { REDACTED, isSensitiveKey, redact, redactString } from './redact';
export {
  SPAN_ID_KEY,
  TRACE_KEY,
  TRACE_SAMPLED_KEY,
  parseTraceContext,
  traceLogFields,
  type HeaderBag,
  type TraceContext,
  type TraceLogFields,
} from './trace-context';
export {
  requestLogging,
  withTraceContext,
  type HttpRequestLog,
  type RequestLoggingOptions,
} from './request-logging';
