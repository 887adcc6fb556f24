export * from './data-source';
export * from './admin';
export * from './snake-naming.strategy';
export * from './unique-violation';
export * from './record-columns';
