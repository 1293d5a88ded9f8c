export {
  ConfigError,
  LOG_LEVELS,
  baseConfigSchema,
  loadConfigOrExit,
  parseConfig,
  wholeNumberSetting,
  type BaseConfig,
} from './config';
export { createHttpApp, type HttpAppOptions } from './http-app';
export {
  HttpProblem,
  badRequest,
  conflict,
  notFound,
  parseOrThrow,
  validationFailed,
  type HttpProblemInit,
  type ProblemDocument,
  type ProblemFieldError,
  type RequestPart,
} from './http-problem';
export {
  ShutdownTimeoutError,
  startHttpServer,
  type HttpServerOptions,
  type RunningHttpServer,
} from './http-server';
export {
  internalCallerRule,
  internalCallersOnly,
  type CallerVerdict,
  type CallerVerifier,
  type InternalCallerOptions,
} from './internal-callers';
export { Lifecycle, lifecycleOf } from './lifecycle';
export { isLoopbackAddress } from './loopback';
export { DEPENDENCY_RETRY_AFTER_SECONDS, isDependencyUnavailable } from './dependency-unavailable';
export { runtimeProblemTypes, runtimeProblems, type RuntimeProblemKind } from './problems';
export type { ReadinessCheck } from './readiness';
