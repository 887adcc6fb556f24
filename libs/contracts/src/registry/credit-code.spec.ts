import { validateSync } from 'class-validator';
import {
  CREDIT_CODE_ALPHABET,
  CREDIT_CODE_WEIGHTS,
  IsCreditCode,
  creditCodeCheckCharacter,
  divisionOfCreditCode,
  validateCreditCode,
} from './credit-code';

describe('unified social credit code (GB 32100-2015)', () => {
  it('has the 31-character alphabet without I, O, Z, S, V and weights 3^i mod 31', () => {
    expect(CREDIT_CODE_ALPHABET).toHaveLength(31);
    expect(CREDIT_CODE_ALPHABET).not.toMatch(/[IOZSV]/);
    expect(CREDIT_CODE_WEIGHTS).toEqual(
      Array.from({ length: 17 }, (_, i) => Number(3n ** BigInt(i) % 31n)),
    );
  });

  it.each([
    // The two examples quoted in the issue, and further codes printed on public business licences.
    '91350100M000100Y43',
    '91110000802100433B',
    '91440300708461136T',
    '9144030071526726XG',
    '91110108551385082Q',
  ])('accepts the published code %s', (code) => {
    expect(validateCreditCode(code)).toEqual({ ok: true });
  });

  it('computes check characters, including the 31 → 0 case and letters', () => {
    // Σ value × weight of 91350100M000100Y4 = 1640; 1640 mod 31 = 28; 31 − 28 = 3.
    expect(creditCodeCheckCharacter('91350100M000100Y4')).toBe('3');
    // Σ = 485; 485 mod 31 = 20; 31 − 20 = 11, the 12th character of the alphabet: 'B'.
    expect(creditCodeCheckCharacter('91110000802100433')).toBe('B');
    // A code of our own for 中宁县 (640521): the same function both builds and accepts it.
    const ours = `91640521MA76L6QK0${creditCodeCheckCharacter('91640521MA76L6QK0')}`;
    expect(ours).toBe('91640521MA76L6QK0K');
    expect(validateCreditCode(ours)).toEqual({ ok: true });
    // A sum that is a multiple of 31 gives 31 − 0 = 31, which wraps to '0'.
    const zero = Array.from({ length: 31 }, (_, i) => `9164052100000000${CREDIT_CODE_ALPHABET[i]}`)
      .map((first17) => ({ first17, check: creditCodeCheckCharacter(first17) }))
      .find(({ check }) => check === '0');
    expect(zero).toBeDefined();
    expect(validateCreditCode(`${zero?.first17}0`)).toEqual({ ok: true });
  });

  it('names the expected check character', () => {
    expect(validateCreditCode('91350100M000100Y44')).toEqual({
      ok: false,
      reason: "check character must be '3' (got '4')",
    });
    expect(validateCreditCode('91110000802100433A')).toEqual({
      ok: false,
      reason: "check character must be 'B' (got 'A')",
    });
  });

  it('rejects lower case, naming the upper-case form (it is not normalised silently)', () => {
    expect(validateCreditCode('91110000802100433b')).toEqual({
      ok: false,
      reason: "letters in a credit code are upper-case: use '91110000802100433B'",
    });
  });

  it.each([
    ['91350100M000100Y4', 'a credit code has 18 characters (got 17)'],
    [' 91350100M000100Y43', 'a credit code has 18 characters (got 19)'],
    ['91350100M000100I43', "character 16 'I' is not allowed in a credit code"],
    ['91350100M000100-43', "character 16 '-' is not allowed in a credit code"],
    ['B1350100M000100Y43', "character 1 'B' is not a registration-authority code"],
    ['9A350100M000100Y43', "character 2 'A' is not an organisation-category code"],
    ['9135A100M000100Y43', "characters 3–8 '35A100' must be the 6-digit administrative"],
  ])('rejects %j: %s', (code, reason) => {
    const check = validateCreditCode(code);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toContain(reason);
  });

  it('rejects non-strings', () => {
    expect(validateCreditCode(91350100)).toEqual({
      ok: false,
      reason: 'a credit code must be a string',
    });
  });

  it('tells the registering division', () => {
    expect(divisionOfCreditCode('91350100M000100Y43')).toBe('350100');
  });

  it('is usable as a class-validator decorator that carries the reason', () => {
    class Payload {
      @IsCreditCode()
      creditCode!: string;
    }
    const payload = Object.assign(new Payload(), { creditCode: '91350100M000100Y44' });
    const [error] = validateSync(payload);
    expect(Object.values(error.constraints ?? {})).toEqual([
      "creditCode is not a valid unified social credit code (GB 32100-2015): check character must be '3' (got '4')",
    ]);
    payload.creditCode = '91350100M000100Y43';
    expect(validateSync(payload)).toEqual([]);
  });
});
