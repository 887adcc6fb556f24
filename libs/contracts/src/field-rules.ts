import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { CALENDAR_DAY_MESSAGE, DIVISION_CODE_PATTERN } from '@ecomlog/kernel';

/**
 * Field rules that events and request bodies share, each one decorator made of class-validator's
 * own decorators, so the schema generators (AsyncAPI from the contracts, OpenAPI from
 * describeValidatedClasses) describe a field exactly as they did the stacked decorators.
 */

/**
 * Applies decorators as if they were written one above the other in this order: the last one
 * first, as TypeScript applies stacked decorators. The rules then register, and their failures
 * are listed, in the order the stacked form gave them.
 */
export function stacked(...decorators: PropertyDecorator[]): PropertyDecorator {
  return applyDecorators(...[...decorators].reverse());
}

/** The largest amount of fen a field takes: what a JavaScript number holds exactly. */
export const MAX_FEN = Number.MAX_SAFE_INTEGER;

/**
 * An amount of money in whole fen (分), from `min` (0 unless said) to MAX_FEN. `message` is said
 * when the value is not an integer.
 */
export function FenAmount({
  min = 0,
  message,
}: { min?: number; message?: string } = {}): PropertyDecorator {
  return stacked(IsInt(message === undefined ? undefined : { message }), Min(min), Max(MAX_FEN));
}

/** An integer from `min` up to `max` (no upper bound when it is left out). */
export function WholeNumber(min: number, max?: number): PropertyDecorator {
  return max === undefined ? stacked(IsInt(), Min(min)) : stacked(IsInt(), Min(min), Max(max));
}

/** The version of a state or the revision of a document: 1, 2, 3 … */
export function VersionNumber(): PropertyDecorator {
  return WholeNumber(1);
}

/** A year of the programs' era, 2000–2100 (budget years, designation years). */
export function CalendarYear(): PropertyDecorator {
  return WholeNumber(2000, 2100);
}

/** A number that is neither NaN nor infinite, told `options.message` when it is not. */
export function FiniteNumber(options?: ValidationOptions): PropertyDecorator {
  return IsNumber({ allowNaN: false, allowInfinity: false }, options);
}

/** A finite number from `range.min` to `range.max`, told `options.message` when it is not. */
export function FiniteNumberIn(
  range: { readonly min: number; readonly max: number },
  options?: ValidationOptions,
): PropertyDecorator {
  return stacked(FiniteNumber(options), Min(range.min, options), Max(range.max, options));
}

/** Text that is not empty, of at most `maxLength` characters when a limit is given. */
export function Text(maxLength?: number): PropertyDecorator {
  return maxLength === undefined
    ? stacked(IsString(), IsNotEmpty())
    : stacked(IsString(), IsNotEmpty(), MaxLength(maxLength));
}

/** Free text that may be left out (or null, or empty), of at most `maxLength` characters. */
export function OptionalText(maxLength: number): PropertyDecorator {
  return stacked(IsOptional(), IsString(), MaxLength(maxLength));
}

/**
 * A calendar day written YYYY-MM-DD (Asia/Shanghai) that exists: the shape, then a strict ISO
 * 8601 date, both told the kernel's calendar-day message. The shape is the plain `\d{4}-\d{2}-
 * \d{2}` the published schemas state (the kernel's @IsCalendarDay states a stricter one, and a
 * month 13 would fail both of its rules, so be reported twice).
 */
export function CalendarDay(): PropertyDecorator {
  const message = { message: CALENDAR_DAY_MESSAGE };
  return stacked(Matches(/^\d{4}-\d{2}-\d{2}$/, message), IsISO8601({ strict: true }, message));
}

/** A 12-digit division code (统计用区划代码), told `$property must be a 12-digit division code`. */
export function DivisionCode(options?: ValidationOptions): PropertyDecorator {
  return Matches(DIVISION_CODE_PATTERN, {
    message: '$property must be a 12-digit division code',
    ...options,
  });
}

/** The first 2–12 digits of a division code: that division and everything inside it. */
export function DivisionPrefix(): PropertyDecorator {
  return Matches(/^\d{2,12}$/, { message: '$property must be 2–12 digits of a division code' });
}

/** A UUID naming one entity, e.g. `EntityId('an enterprise')`: "… must be an enterprise id (UUID)". */
export function EntityId(what: string): PropertyDecorator {
  return IsUUID(undefined, { message: `$property must be ${what} id (UUID)` });
}

/** One of `values`, told `$property must be one of a, b, c` otherwise. */
export function OneOf(values: readonly unknown[], options?: ValidationOptions): PropertyDecorator {
  return IsIn(values as unknown[], {
    message: `$property must be one of ${values.join(', ')}`,
    ...options,
  });
}

/** An array of objects each validated as `type()`, with at least / at most so many items. */
export function NestedArray(
  type: () => new (...args: never[]) => object,
  { minSize, maxSize }: { minSize?: number; maxSize?: number } = {},
): PropertyDecorator {
  return stacked(
    IsArray(),
    ...(minSize === undefined ? [] : [ArrayMinSize(minSize)]),
    ...(maxSize === undefined ? [] : [ArrayMaxSize(maxSize)]),
    ValidateNested({ each: true }),
    Type(type),
  );
}

/**
 * An array of distinct members of `values`, with at least / at most so many; `message` is said
 * for an item that is not one of them.
 */
export function SubsetOf(
  values: readonly unknown[],
  { minSize, maxSize, message }: { minSize?: number; maxSize?: number; message?: string } = {},
): PropertyDecorator {
  return stacked(
    IsArray(),
    ...(minSize === undefined ? [] : [ArrayMinSize(minSize)]),
    ...(maxSize === undefined ? [] : [ArrayMaxSize(maxSize)]),
    ArrayUnique(),
    IsIn(values as unknown[], message === undefined ? { each: true } : { each: true, message }),
  );
}

/** One object validated as `type()`. */
export function NestedObject(type: () => new (...args: never[]) => object): PropertyDecorator {
  return stacked(ValidateNested(), Type(type));
}
