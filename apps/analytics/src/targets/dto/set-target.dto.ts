import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches, Max, Min } from 'class-validator';
import { DivisionCode, FiniteNumber, INDICATOR_IDS, NestedObject, OneOf } from '@ecomlog/contracts';

const FIXED_PERIOD = /^\d{4}(\d{2}(\d{2})?|Q[1-4])?$/;
const PERIOD_MESSAGE = {
  message: '$property must be a day 20240801, a month 202408, a quarter 2024Q3 or a year 2024',
};
const TARGETABLE = INDICATOR_IDS.filter((id) => id !== 'target_attainment');

export class GrowthPathDto {
  @ApiProperty({
    description:
      'Value of the base period, in the indicator unit (whole fen for money, whole counts); the compounded target is rounded to a whole fen or unit, halves up',
    example: 120000000000,
  })
  @FiniteNumber()
  @Min(0)
  baseValue!: number;

  @ApiProperty({ description: 'Base period, same kind as the target period', example: '2023' })
  @Matches(FIXED_PERIOD, PERIOD_MESSAGE)
  basePeriod!: string;

  @ApiProperty({
    description: 'Annual growth rate, 0.12 = 12 % a year (年均增长12%)',
    example: 0.12,
  })
  @FiniteNumber()
  @Min(-1)
  @Max(10)
  annualGrowth!: number;
}

export class SetTargetDto {
  @ApiProperty({ enum: TARGETABLE, example: 'retail_sales' })
  @OneOf(TARGETABLE)
  indicator!: string;

  @ApiProperty({ example: '370982000000' })
  @DivisionCode()
  divisionCode!: string;

  @ApiProperty({ example: '2025' })
  @Matches(FIXED_PERIOD, PERIOD_MESSAGE)
  period!: string;

  @ApiPropertyOptional({
    description:
      'Fixed target in the indicator unit (fen, count, hours or 0–1); whole for fen and count (422 otherwise)',
  })
  @IsOptional()
  @FiniteNumber()
  @Min(0)
  value?: number;

  @ApiPropertyOptional({ type: GrowthPathDto })
  @IsOptional()
  @NestedObject(() => GrowthPathDto)
  growth?: GrowthPathDto;
}
