export * from './calendar';
export * from './is-calendar-day.decorator';
export * from './division-code';
