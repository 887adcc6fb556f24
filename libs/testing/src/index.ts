export * from './stack-settings';
export * from './wait-for';
export * from './service-process';
export * from './officials';
export * from './service-test-env';
export * from './kcat';
export * from './service-under-test';
export * from './test-events';
