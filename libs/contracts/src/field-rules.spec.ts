import 'reflect-metadata';
import { Type, plainToInstance } from 'class-transformer';
import * as rule from 'class-validator';
import { CALENDAR_DAY_MESSAGE } from '@ecomlog/kernel';
import { CalendarDay, FenAmount, MAX_FEN, NestedArray, OneOf, SubsetOf, Text } from './field-rules';

class Item {
  @Text(10)
  name!: string;
}

/** The field rules, one decorator each. */
class Composed {
  @FenAmount({ min: 1 })
  amountFen!: number;

  @CalendarDay()
  day!: string;

  @NestedArray(() => Item, { minSize: 1, maxSize: 3 })
  items!: Item[];

  @SubsetOf(['a', 'b'], { minSize: 1 })
  kinds!: string[];

  @OneOf(['x', 'y'])
  choice!: string;
}

/** The same rules written out, stacked as the classes wrote them before. */
class Stacked {
  @rule.IsInt()
  @rule.Min(1)
  @rule.Max(MAX_FEN)
  amountFen!: number;

  @rule.Matches(/^\d{4}-\d{2}-\d{2}$/, { message: CALENDAR_DAY_MESSAGE })
  @rule.IsISO8601({ strict: true }, { message: CALENDAR_DAY_MESSAGE })
  day!: string;

  @rule.IsArray()
  @rule.ArrayMinSize(1)
  @rule.ArrayMaxSize(3)
  @rule.ValidateNested({ each: true })
  @Type(() => Item)
  items!: Item[];

  @rule.IsArray()
  @rule.ArrayMinSize(1)
  @rule.ArrayUnique()
  @rule.IsIn(['a', 'b'], { each: true })
  kinds!: string[];

  @rule.IsIn(['x', 'y'], { message: 'choice must be one of x, y' })
  choice!: string;
}

function errorsOf(type: new () => object, plain: Record<string, unknown>): unknown {
  const errors = rule.validateSync(plainToInstance(type, plain));
  const described = (list: rule.ValidationError[]): unknown =>
    list.map((error) => ({
      property: error.property,
      constraints: Object.entries(error.constraints ?? {}),
      children: described(error.children ?? []),
    }));
  return described(errors);
}

function rulesOf(type: new () => object): unknown[] {
  return rule
    .getMetadataStorage()
    .getTargetValidationMetadatas(type, '', true, false)
    .map((m) => [m.propertyName, m.type, m.name, m.each, m.constraints]);
}

describe('field rules', () => {
  it('register the rules of the stacked decorators, in the same order', () => {
    expect(rulesOf(Composed)).toEqual(rulesOf(Stacked));
  });

  it.each([
    {},
    {
      amountFen: 0.5,
      day: '2024-13-01',
      items: [{ name: '' }, { name: 'x'.repeat(11) }],
      kinds: ['a', 'a', 'c'],
      choice: 'z',
    },
    { amountFen: 0, day: '2023-02-29', items: [], kinds: [], choice: 'x' },
    { amountFen: MAX_FEN + 1, day: 20240801, items: 'no', kinds: 'a', choice: null },
    { amountFen: 1, day: '2024-02-29', items: [{ name: 'ok' }], kinds: ['b'], choice: 'y' },
  ])('report what the stacked decorators report, message for message: %j', (plain) => {
    expect(errorsOf(Composed, plain)).toEqual(errorsOf(Stacked, plain));
  });
});
