export * from './principal';
export * from './jwt';
export * from './jwks-key-source';
export * from './token-verifier';
export * from './decorators';
export * from './region';
export * from './auth.guard';
export * from './client-scope';
