export * from './topics';
export * from './event-definition';
export * from './catalogue';
export * from './registry/division-changed.event';
export * from './validate-payload';
export * from './registry/enterprise-changed.event';
export * from './registry/credit-code';
