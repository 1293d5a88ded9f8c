export { createApp, type ApiDeps } from './app';
export { apiConfigSchema, type ApiConfig } from './config';
export {
  PRODUCTS_DISCOVERED_CONSUMER,
  handleProductsDiscovered,
  type ProductsDiscoveredOptions,
  type ProductsDiscoveredOutcome,
} from './discovery/handle-products-discovered';
