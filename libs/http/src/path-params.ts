import { Param, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { ProblemException } from './problem';

export interface PathParamRule {
  /** What the value must look like; also its OpenAPI pattern (write `[0-9]`, not `\d`). */
  pattern: RegExp;
  /** The problem answered for anything else (400). */
  problemType: string;
  title: string;
  detail: (value: string) => string;
  /** For the document: what the parameter is, with an example. */
  description: string;
  example?: string;
  format?: string;
  /** Applied to a valid value before the handler sees it (e.g. lower-casing a UUID). */
  normalise?: (value: string) => string;
}

/** The value if it keeps the rule (normalised), else the rule's 400 problem. */
export function checkedParam(value: string, rule: PathParamRule): string {
  if (!rule.pattern.test(value)) {
    throw new ProblemException(400, rule.problemType, rule.title, rule.detail(value));
  }
  return rule.normalise ? rule.normalise(value) : value;
}

class PathParamPipe implements PipeTransform<string, string> {
  constructor(private readonly rule: PathParamRule) {}

  transform(value: string): string {
    return checkedParam(value, this.rule);
  }
}

/**
 * A path parameter that is validated and documented by the same rule: `@PathParam('code',
 * DIVISION_CODE_PARAM) code: string`. A value that breaks the rule is a 400 problem before the
 * handler runs; the OpenAPI document states the pattern, so clients and the contract test know it.
 */
export function PathParam(name: string, rule: PathParamRule): ParameterDecorator {
  const { source } = rule.pattern;
  return (target, propertyKey, index) => {
    Param(name, new PathParamPipe(rule))(target, propertyKey, index);
    if (propertyKey === undefined) return;
    const descriptor = Object.getOwnPropertyDescriptor(target, propertyKey);
    if (!descriptor) return;
    ApiParam({
      name,
      required: true,
      description: rule.description,
      example: rule.example,
      schema: { type: 'string', pattern: source, ...(rule.format ? { format: rule.format } : {}) },
    })(target, propertyKey, descriptor);
  };
}

const UUID_PATTERN =
  /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** A path id that is a UUID, named by what it identifies: `@PathParam('id', uuidParamRule('brand'))`. */
export function uuidParamRule(
  what: string,
  problemType = `invalid-${what.replace(/ /g, '-')}-id`,
): PathParamRule {
  return {
    pattern: UUID_PATTERN,
    problemType,
    title: `Invalid ${what} id`,
    detail: (value) =>
      `"${value}" is not a ${what} id (a UUID such as 0b6f6a8e-4c1d-4f7e-9a51-3e2d7c9b1f20).`,
    description: `The ${what}'s id (UUID)`,
    example: '0b6f6a8e-4c1d-4f7e-9a51-3e2d7c9b1f20',
    format: 'uuid',
    normalise: (value) => value.toLowerCase(),
  };
}

/** A 12-digit division code (统计用区划代码) in the path. */
export const DIVISION_CODE_PARAM: PathParamRule = {
  pattern: /^[0-9]{12}$/,
  problemType: 'invalid-division-code',
  title: 'Invalid division code',
  detail: (value) => `"${value}" is not a 12-digit division code (统计用区划代码).`,
  description: '12-digit division code (统计用区划代码)',
  example: '640521100000',
};
