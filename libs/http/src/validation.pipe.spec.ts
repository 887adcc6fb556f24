import 'reflect-metadata';
import { IsIn, IsNumber, IsString, IsUUID, Matches, ValidateIf } from 'class-validator';
import { IsCreditCode } from '@ecomlog/contracts';
import { IsCalendarDay } from '@ecomlog/kernel';
import { createValidationPipe } from './validation.pipe';
import { ValidationProblemException } from './problem';

class ClientFixture {
  @IsIn(['courier', 'subscriber'])
  kind!: string;

  @ValidateIf((dto: ClientFixture) => dto.kind === 'courier')
  @IsString()
  @Matches(/^[A-Z]{2,10}$/)
  carrierCode?: string;

  @ValidateIf((dto: ClientFixture) => dto.enterpriseId !== undefined)
  @IsUUID()
  enterpriseId?: string;
}

class ScoreFixture {
  @IsNumber({ maxDecimalPlaces: 2 })
  score!: number;

  @IsCalendarDay()
  on!: string;

  @IsCreditCode()
  code!: string;
}

async function statusOf(metatype: new () => object, body: unknown): Promise<number | 'ok'> {
  try {
    await createValidationPipe().transform(body, { type: 'body', metatype });
    return 'ok';
  } catch (error) {
    if (!(error instanceof ValidationProblemException)) throw error;
    return error.getStatus();
  }
}

describe('the validation pipe tells a request that breaks the document (400) from one that breaks a rule (422)', () => {
  const good = { score: 1.5, on: '2024-02-29', code: '91640521MA76L6QK0K' };
  // The shape of a credit code with the wrong check character.
  const wrongCheck = '91640521MA76L6QK0A';

  it('answers 400 for what the schema states: types, patterns, unknown fields', async () => {
    expect(await statusOf(ScoreFixture, good)).toBe('ok');
    expect(await statusOf(ScoreFixture, { ...good, score: 'high' })).toBe(400);
    expect(await statusOf(ScoreFixture, { ...good, on: '2024-2-1' })).toBe(400);
    expect(await statusOf(ScoreFixture, { ...good, extra: 1 })).toBe(400);
    expect(await statusOf(ClientFixture, { kind: 'courier', carrierCode: 'zto' })).toBe(400);
    // A semantic failure next to a schema one is still a 400: the document was not followed.
    expect(await statusOf(ScoreFixture, { ...good, code: wrongCheck, score: 'high' })).toBe(400);
    // Lower case breaks the documented pattern as well as the check.
    expect(await statusOf(ScoreFixture, { ...good, code: good.code.toLowerCase() })).toBe(400);
    expect(await statusOf(ScoreFixture, { ...good, score: 80.125 })).toBe(400);
  });

  it('answers 422 for rules a schema cannot state', async () => {
    expect(await statusOf(ScoreFixture, { ...good, code: wrongCheck })).toBe(422);
    // A day of the right shape that does not exist.
    expect(await statusOf(ScoreFixture, { ...good, on: '2023-02-29' })).toBe(422);
    // More decimals than `multipleOf: 0.01` lets a float say exactly.
    expect(await statusOf(ScoreFixture, { ...good, score: 0.5700000000000001 })).toBe(422);
    // A field required only because of another field's value.
    expect(await statusOf(ClientFixture, { kind: 'courier' })).toBe(422);
    expect(await statusOf(ClientFixture, { kind: 'subscriber' })).toBe('ok');
  });
});
