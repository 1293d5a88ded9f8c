import { extractOffers, prepareExtraction } from '@shelfwatch/extraction';
import type { ExtractOffers } from './scrape/extractor';

/** The real extractor, behind the scrape handler's injected `ExtractOffers` shape. */
export const defaultExtractOffers: ExtractOffers = extractOffers;

/** Loads what the real extractor's first page would load; see `CreateScraperOptions`. */
export const prepareDefaultExtraction: () => void = prepareExtraction;
