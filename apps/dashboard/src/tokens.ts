/** Injection token of the process's JSON logger. */
export const APP_LOGGER = Symbol('APP_LOGGER');
