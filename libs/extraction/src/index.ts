export {
  extractOffers,
  prepareExtraction,
  MAX_HTML_CHARS,
  type ExtractOptions,
  type ExtractionResult,
  type PriceEvidence,
} from './extract';
export { parsePrice, type ParsedPrice, type PriceContext } from './price/parse-price';
export { normalizeAvailability, normalizeCondition } from './availability';
export {
  CliUsageError,
  extractCommand,
  extractionCommands,
  parsePriceCommand,
  runCli,
  type CliCommand,
  type CliIo,
} from './cli/index';
