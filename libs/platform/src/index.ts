export * from './tokens';
export * from './event-consumer.decorator';
export * from './platform.module';
export * from './bootstrap';
export * from './audit/audit-trail';
export * from './audit/audit-entry.entity';
