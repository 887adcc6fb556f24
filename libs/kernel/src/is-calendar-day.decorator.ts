import { IsISO8601, Matches, type ValidationOptions } from 'class-validator';
import { CALENDAR_DAY_PATTERN } from './calendar';

/** What a field that is not a calendar day is told. */
export const CALENDAR_DAY_MESSAGE = '$property must be a calendar day YYYY-MM-DD (Asia/Shanghai)';

/**
 * The field is a real calendar day written YYYY-MM-DD: the shape (no time, no week dates) and a
 * day that exists (2024-02-29 yes, 2023-02-29 and 2024-04-31 no). Made of class-validator's own
 * `Matches` and strict `IsISO8601`, so schema generators (AsyncAPI, OpenAPI) describe it as before.
 */
export function IsCalendarDay(options: ValidationOptions = {}): PropertyDecorator {
  const withMessage: ValidationOptions = { message: CALENDAR_DAY_MESSAGE, ...options };
  const strict = IsISO8601({ strict: true }, withMessage);
  const shape = Matches(CALENDAR_DAY_PATTERN, withMessage);
  return (target: object, propertyKey: string | symbol): void => {
    // The order the stacked `@Matches(…) @IsISO8601(…)` pair registered in (bottom first).
    strict(target, propertyKey);
    shape(target, propertyKey);
  };
}
