export {
  AddressGuard,
  AddressRefusedError,
  isAddressRefusal,
  systemResolver,
  type AddressGuardOptions,
  type RefusalReason,
  type ResolvedAddress,
  type Resolver,
} from './address-guard';
export {
  nonPublicRange,
  normalizeHost,
  refusalReason,
  type AddressRefusalReason,
} from './address-ranges';
export { allowHostsSetting } from './allow-list';
export { checkUrl, type UrlCheck } from './check-url';
export {
  createGuardedAgent,
  guardedAgentOnFirstUse,
  type GuardedAgentOptions,
  type RequestSender,
} from './guarded-agent';
export { createGuardedLookup } from './guarded-lookup';
