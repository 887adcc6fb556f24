/** Injection tokens the platform provides to every service. */
export const SERVICE_ENV = Symbol('SERVICE_ENV');
export const APP_LOGGER = Symbol('APP_LOGGER');
export const REDIS = Symbol('REDIS');
