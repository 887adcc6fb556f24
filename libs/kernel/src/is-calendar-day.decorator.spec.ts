import { validateSync } from 'class-validator';
import { IsCalendarDay } from './is-calendar-day.decorator';

class Dated {
  @IsCalendarDay()
  day!: unknown;
}

class Custom {
  @IsCalendarDay({ message: 'signedOn is not a day' })
  signedOn!: unknown;
}

function messagesFor(value: unknown): string[] {
  const dated = Object.assign(new Dated(), { day: value });
  return validateSync(dated).flatMap((error) => Object.values(error.constraints ?? {}));
}

describe('@IsCalendarDay', () => {
  it.each(['2024-02-29', '2024-08-01', '1999-12-31'])('accepts %s', (day) => {
    expect(messagesFor(day)).toEqual([]);
  });

  it.each([
    '2023-02-29',
    '2024-04-31',
    '2024-13-01',
    '2024-08-01T10:00:00Z',
    '2024-W31-4',
    '2024-214',
  ])('refuses %s with a message naming the field and the format', (day) => {
    const messages = messagesFor(day);
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) {
      expect(message).toBe('day must be a calendar day YYYY-MM-DD (Asia/Shanghai)');
    }
  });

  it('refuses what is not a string', () => {
    expect(messagesFor(20240801)).not.toEqual([]);
    expect(messagesFor(undefined)).not.toEqual([]);
  });

  it('takes the usual validation options', () => {
    const errors = validateSync(Object.assign(new Custom(), { signedOn: '2024-02-30' }));
    expect(errors.map((error) => error.property)).toEqual(['signedOn']);
    expect(new Set(Object.values(errors[0].constraints ?? {}))).toEqual(
      new Set(['signedOn is not a day']),
    );
  });
});
