export * from './tokens';
export * from './event-consumer.decorator';
export * from './platform.module';
export * from './bootstrap';
