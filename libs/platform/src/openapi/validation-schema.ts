import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import {
  ARRAY_MAX_SIZE,
  ARRAY_MIN_SIZE,
  ARRAY_UNIQUE,
  IS_ARRAY,
  IS_BOOLEAN,
  IS_IN,
  IS_INT,
  IS_ISO8601,
  IS_LENGTH,
  IS_NOT_EMPTY,
  IS_NUMBER,
  IS_OBJECT,
  IS_STRING,
  IS_UUID,
  MATCHES,
  MAX,
  MAX_LENGTH,
  MIN,
  MIN_LENGTH,
  getMetadataStorage,
} from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import type { MetadataStorage as TransformerStorage } from 'class-transformer/types/MetadataStorage';
import { CREDIT_CODE_SHAPE } from '@ecomlog/contracts';

// class-transformer's @Type metadata tells what a nested object or array holds.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: TransformerStorage;
};

type Schema = Record<string, unknown>;
type Constructor = abstract new (...args: never[]) => unknown;

/**
 * What a custom constraint of ours looks like as a schema (its decorator's `name`); what the
 * schema cannot say is answered 422 (libs/http SEMANTIC_CONSTRAINTS).
 */
const CUSTOM_CONSTRAINT_SCHEMAS: Record<string, Schema> = {
  // GB 32100-2015: 18 characters of the code alphabet (the check character is a semantic rule).
  isCreditCode: { type: 'string', pattern: CREDIT_CODE_SHAPE.source },
  isScanTime: { type: 'string', format: 'date-time' },
};

/**
 * A JavaScript regular expression as an ECMA-262 pattern that other engines (Python's, which
 * schemathesis and most generators use) read the same way: `\d` is ASCII digits only in
 * JavaScript but any Unicode digit in Python, so it is written out as `0-9`.
 */
export function portablePattern(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1];
      if (next === 'd') out += inClass ? '0-9' : '[0-9]';
      else if (next === 'w') out += inClass ? 'A-Za-z0-9_' : '[A-Za-z0-9_]';
      else out += c + next;
      i++;
      continue;
    }
    if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass) inClass = false;
    out += c;
  }
  return out;
}

/** The schema keywords one class-validator rule stands for (applied to the items when `each`). */
function keywordsOf(rule: ValidationMetadata): Schema {
  const [first, second] = (rule.constraints ?? []) as unknown[];
  switch (rule.name) {
    case IS_STRING:
      return { type: 'string' };
    case IS_INT:
      return { type: 'integer' };
    case IS_NUMBER: {
      const places = (first as { maxDecimalPlaces?: number } | undefined)?.maxDecimalPlaces;
      return { type: 'number', ...(places === undefined ? {} : { multipleOf: 10 ** -places }) };
    }
    case IS_BOOLEAN:
      return { type: 'boolean' };
    case IS_ARRAY:
      return { type: 'array' };
    case IS_OBJECT:
      return { type: 'object' };
    case MIN:
      return { minimum: first };
    case MAX:
      return { maximum: first };
    case MIN_LENGTH:
      return { minLength: first };
    case MAX_LENGTH:
      return { maxLength: first };
    case IS_LENGTH:
      return { minLength: first, ...(second === undefined ? {} : { maxLength: second }) };
    case IS_NOT_EMPTY:
      return { minLength: 1 };
    case MATCHES: {
      const pattern = first instanceof RegExp ? first.source : String(first);
      return { pattern: portablePattern(pattern) };
    }
    case IS_IN:
      return { enum: first };
    case IS_UUID:
      return { type: 'string', format: 'uuid' };
    case IS_ISO8601:
      return { type: 'string', format: 'date-time' };
    case ARRAY_MIN_SIZE:
      return { minItems: first };
    case ARRAY_MAX_SIZE:
      return { maxItems: first };
    case ARRAY_UNIQUE:
      return { uniqueItems: true };
    default:
      return CUSTOM_CONSTRAINT_SCHEMAS[rule.name ?? ''] ?? {};
  }
}

/**
 * The type the rules imply when no type rule says it (`@Matches` alone, `@IsIn` alone): a union
 * type like `string | null` reaches the metadata as Object. `minLength: 1` only means something
 * for a string; a day pattern and a date format agree.
 */
function tidy(schema: Schema): Schema {
  if (schema.type === undefined) {
    if (Array.isArray(schema.enum) && schema.enum.length > 0) {
      const kinds = new Set(schema.enum.map((value) => typeof value));
      if (kinds.size === 1) schema.type = kinds.has('number') ? 'number' : [...kinds][0];
    } else if (
      schema.pattern !== undefined ||
      schema.format !== undefined ||
      schema.maxLength !== undefined
    ) {
      schema.type = 'string';
    } else if (schema.minimum !== undefined || schema.maximum !== undefined) {
      schema.type = 'number';
    }
  }
  if (schema.type !== 'string') delete schema.minLength;
  const { pattern } = schema;
  if (typeof pattern === 'string' && schema.format === 'date-time' && !pattern.includes('T')) {
    // `@Matches(YYYY-MM-DD) @IsISO8601()`: a calendar day, not a date-time.
    schema.format = 'date';
  }
  return schema;
}

function propertySchema(
  target: Constructor,
  property: string,
  rules: ValidationMetadata[],
): ApiPropertyOptions {
  const own: Schema = {};
  const items: Schema = {};
  let optional = false;
  let conditional = false;
  let nested: { each: boolean } | undefined;
  for (const rule of rules) {
    const type = rule.type;
    if (type === 'conditionalValidation') {
      if (rule.name === 'isOptional') optional = true;
      else conditional = true;
      continue;
    }
    if (type === 'nestedValidation') {
      nested = { each: rule.each ?? false };
      continue;
    }
    if (type !== 'customValidation') continue;
    Object.assign(rule.each ? items : own, keywordsOf(rule));
  }
  const options: Schema = { required: !optional && !conditional };
  // IsOptional lets null through as "absent", so the document says so.
  if (optional) options.nullable = true;

  const nestedType = nested
    ? defaultMetadataStorage.findTypeMetadata(target, property)?.typeFunction()
    : undefined;
  const isArray = own.type === 'array' || nested?.each === true || Object.keys(items).length > 0;
  if (isArray) {
    const { type: _array, ...arrayKeywords } = own;
    Object.assign(options, arrayKeywords);
    if (nestedType) Object.assign(options, { type: nestedType, isArray: true });
    else Object.assign(options, { type: 'array', items: tidy({ ...items }) });
  } else if (nestedType) {
    options.type = nestedType;
  } else {
    Object.assign(options, tidy(own));
  }
  // OpenAPI 3.0: a nullable enum lists null among its values, or null is still refused.
  if (optional && Array.isArray(options.enum) && !options.enum.includes(null)) {
    options.enum = [...(options.enum as unknown[]), null];
  }
  return options;
}

const described = new WeakSet<object>();

/**
 * Makes the OpenAPI document say what the validation says, from the same classes: for every class
 * class-validator knows, each validated property gets its type, format, pattern, bounds, enum,
 * items and requiredness as @nestjs/swagger property metadata (descriptions and examples written
 * with @ApiProperty stay). Run before SwaggerModule.createDocument; idempotent.
 */
export function describeValidatedClasses(): void {
  const storage = getMetadataStorage() as unknown as {
    validationMetadatas: Map<Constructor | string, ValidationMetadata[]>;
  };
  for (const [target, rules] of storage.validationMetadatas) {
    if (typeof target !== 'function' || described.has(target)) continue;
    described.add(target);
    const byProperty = new Map<string, ValidationMetadata[]>();
    for (const rule of rules) {
      const list = byProperty.get(rule.propertyName) ?? [];
      list.push(rule);
      byProperty.set(rule.propertyName, list);
    }
    for (const [property, propertyRules] of byProperty) {
      ApiProperty(propertySchema(target, property, propertyRules))(
        target.prototype as object,
        property,
      );
    }
  }
}
