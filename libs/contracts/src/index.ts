export { IdSchema, derivedId, newId } from './ids';
export { TimestampSchema } from './time';
export { HttpUrlSchema, MAX_URL_LENGTH, httpUrlProblem } from './url';
export { CurrencyCodeSchema, DecimalStringSchema, MoneySchema, type Money } from './money';
export {
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPE_BASE_URI,
  ProblemFieldErrorSchema,
  ProblemSchema,
  problemTypes,
  type Problem,
  type ProblemFieldError,
  type ProblemType,
} from './problem';
export {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  decodePageToken,
  encodePageToken,
  type PageCursor,
} from './pagination';
export {
  CreateTargetRequestSchema,
  DEFAULT_CHECK_INTERVAL_SECONDS,
  ListTargetsQuerySchema,
  MAX_CHECK_INTERVAL_SECONDS,
  MIN_CHECK_INTERVAL_SECONDS,
  SelectorHintsSchema,
  TargetKindSchema,
  TargetListSchema,
  TargetSchema,
  TargetStatusSchema,
  TargetUrlSchema,
  UpdateTargetRequestSchema,
  type CreateTargetRequest,
  type ListTargetsQuery,
  type SelectorHints,
  type Target,
  type TargetKind,
  type TargetList,
  type TargetStatus,
  type UpdateTargetRequest,
} from './targets';
export { HealthStatusSchema, type HealthStatus } from './health';
export { AnyEventEnvelopeSchema, EventEnvelopeSchema, type EventEnvelope } from './events/envelope';
export {
  AvailabilitySchema,
  ExtractionSourceSchema,
  MAX_DISCOVERED_URLS,
  MAX_OFFERS_PER_OBSERVATION,
  ObservationRecordedSchema,
  OfferConditionSchema,
  OfferSchema,
  PriceChangeKindSchema,
  PriceChangedSchema,
  ProductsDiscoveredSchema,
  ScrapeErrorClassSchema,
  ScrapeFailedSchema,
  ScrapeRequestedSchema,
  type Availability,
  type ExtractionSource,
  type ObservationRecorded,
  type Offer,
  type OfferCondition,
  type PriceChangeKind,
  type PriceChanged,
  type ProductsDiscovered,
  type ScrapeErrorClass,
  type ScrapeFailed,
  type ScrapeRequested,
} from './events/payloads';
export { sanitizeOffer, sanitizeText } from './events/sanitize';
export {
  InvalidEventError,
  createEvent,
  eventTypes,
  isEventType,
  parseEvent,
  topicFor,
  topics,
  type AnyEvent,
  type CreateEventOptions,
  type EventOf,
  type EventPayload,
  type EventPayloadInput,
  type EventType,
  type ParseEventResult,
} from './topics';
export { API_VERSION, buildOpenApiDocument, type OpenApiDocument } from './openapi';
export { currencyMinorUnits, formatAmount } from './money-format';
export {
  DEFAULT_PRICE_PAGE_SIZE,
  ListPricesQuerySchema,
  ListProductsQuerySchema,
  MAX_PRICE_PAGE_SIZE,
  PriceHistorySchema,
  PricePointSchema,
  ProductListSchema,
  ProductSchema,
  type ListPricesQuery,
  type ListProductsQuery,
  type PriceHistory,
  type PricePoint,
  type Product,
  type ProductList,
} from './read/products';
export {
  ScrapeRunSchema,
  ScrapeRunStatusSchema,
  type ScrapeRun,
  type ScrapeRunStatus,
} from './read/runs';
export {
  AlertKindSchema,
  AlertListSchema,
  AlertSchema,
  ListAlertsQuerySchema,
  type Alert,
  type AlertKind,
  type AlertList,
  type ListAlertsQuery,
} from './read/alerts';
