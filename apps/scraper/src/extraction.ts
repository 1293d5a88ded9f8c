import { extractOffers } from '@shelfwatch/extraction';
import type { ExtractOffers } from './scrape/extractor';

/** The real extractor, behind the scrape handler's injected `ExtractOffers` shape. */
export const defaultExtractOffers: ExtractOffers = extractOffers;
