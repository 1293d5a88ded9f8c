export { createApp, type ApiDeps } from './app';
export { apiConfigSchema, type ApiConfig } from './config';
