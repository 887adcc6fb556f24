export * from './problem';
export * from './problem.filter';
export * from './validation.pipe';
export * from './correlation.middleware';
export * from './pagination';
export * from './idempotency.interceptor';
export * from './json-body';
