import { ValidateBy, buildMessage, type ValidationOptions } from 'class-validator';

/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters from 0-9 and the capital letters without
 * I, O, Z, S and V.
 *
 * | position | meaning                                                            |
 * | -------- | ------------------------------------------------------------------ |
 * | 1        | 登记管理部门代码 (1 机构编制, 5 民政, 9 工商/市场监管, Y 其他 …)  |
 * | 2        | 机构类别代码 (for 9: 1 企业, 2 个体工商户, 3 农民专业合作社)      |
 * | 3–8      | 登记管理机关行政区划码 (6-digit administrative division code)      |
 * | 9–17     | 主体标识码 (组织机构代码, GB 11714)                                |
 * | 18       | 校验码: 31 − (Σ value × weight mod 31), 31 → 0                     |
 *
 * Input is taken exactly as given: lower-case letters or surrounding spaces are rejected (with
 * the upper-case form in the reason), never silently normalised, because the code is the
 * enterprise's identity and is looked up verbatim.
 */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Weights of positions 1–17 (3^(i) mod 31). */
export const CREDIT_CODE_WEIGHTS = [
  1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
] as const;

/**
 * Registration authorities (登记管理部门) of the GB 32100 code list: 1 机构编制, 2 外交, 3 司法行政,
 * 4 文化, 5 民政, 6 旅游, 7 宗教, 8 工会, 9 工商 (市场监管), A 中央军委改革和编制办公室, N 农业,
 * Y 其他.
 */
export const CREDIT_CODE_AUTHORITIES = '123456789ANY';

/**
 * The shape of a credit code (authority, category, division, then code characters), everything
 * but the check character's arithmetic: what a schema can say about it.
 */
export const CREDIT_CODE_SHAPE = /^[1-9ANY][1-9][0-9]{6}[0-9A-HJ-NP-RTUWXY]{10}$/;

export type CreditCodeCheck = { ok: true } | { ok: false; reason: string };

/** The check character (position 18) for the first 17 characters of a credit code. */
export function creditCodeCheckCharacter(first17: string): string {
  if (first17.length !== 17) {
    throw new Error(`expected the first 17 characters of a credit code, got ${first17.length}`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = CREDIT_CODE_ALPHABET.indexOf(first17[i]);
    if (value < 0) throw new Error(`'${first17[i]}' is not a credit-code character`);
    sum += value * CREDIT_CODE_WEIGHTS[i];
  }
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31];
}

/** Validates a unified social credit code; the reason says what is wrong and how to fix it. */
export function validateCreditCode(code: unknown): CreditCodeCheck {
  if (typeof code !== 'string') return fail('a credit code must be a string');
  if (code.length !== 18) {
    return fail(`a credit code has 18 characters (got ${code.length})`);
  }
  if (code !== code.toUpperCase()) {
    return fail(`letters in a credit code are upper-case: use '${code.toUpperCase()}'`);
  }
  for (let i = 0; i < 18; i += 1) {
    if (!CREDIT_CODE_ALPHABET.includes(code[i])) {
      const hint = /[IOZSV]/.test(code[i]) ? ' (I, O, Z, S and V are never used)' : '';
      return fail(`character ${i + 1} '${code[i]}' is not allowed in a credit code${hint}`);
    }
  }
  if (!CREDIT_CODE_AUTHORITIES.includes(code[0])) {
    return fail(
      `character 1 '${code[0]}' is not a registration-authority code (one of ${CREDIT_CODE_AUTHORITIES.split('').join(', ')})`,
    );
  }
  if (!/^[1-9]$/.test(code[1])) {
    return fail(`character 2 '${code[1]}' is not an organisation-category code (a digit 1–9)`);
  }
  if (!/^\d{6}$/.test(code.slice(2, 8))) {
    return fail(
      `characters 3–8 '${code.slice(2, 8)}' must be the 6-digit administrative division code`,
    );
  }
  const expected = creditCodeCheckCharacter(code.slice(0, 17));
  if (code[17] !== expected) {
    return fail(`check character must be '${expected}' (got '${code[17]}')`);
  }
  return { ok: true };
}

/** The 6-digit division code of the registering authority (characters 3–8). */
export function divisionOfCreditCode(code: string): string {
  return code.slice(2, 8);
}

/** class-validator decorator: the value is a valid unified social credit code. */
export function IsCreditCode(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCreditCode',
      validator: {
        validate: (value: unknown) => validateCreditCode(value).ok,
        defaultMessage: buildMessage((eachPrefix, args) => {
          const check = validateCreditCode(args?.value);
          const reason = check.ok ? 'is not a valid credit code' : check.reason;
          return `${eachPrefix}$property is not a valid unified social credit code (GB 32100-2015): ${reason}`;
        }, options),
      },
    },
    options,
  );
}

function fail(reason: string): CreditCodeCheck {
  return { ok: false, reason };
}
