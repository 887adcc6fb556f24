export * from './data-source';
export * from './admin';
export * from './snake-naming.strategy';
