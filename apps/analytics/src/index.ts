export { createApp, type AnalyticsDeps } from './app';
export { analyticsConfigSchema, type AnalyticsConfig } from './config';
