import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { INDICATOR_IDS, INDICATOR_SCOPE_PATTERN } from '@ecomlog/contracts';
import { DIVISION_LEVELS } from '@ecomlog/kernel';
import { RELATIVE_PERIODS } from '../calendar/period';

/** At most this many items per list (the query service refuses more with a 422). */
const MAX_LIST_ITEMS = 20;

/**
 * A `;`-separated list of items, spaces around them allowed (the query parser trims them). What
 * an item may look like is stated here, so the document and the 400 agree; an item of the right
 * shape that names nothing real (20240230, an unknown division) is a 422. The repetition is
 * bounded, which also bounds the length.
 */
function listOf(item: string): RegExp {
  return new RegExp(`^ *(${item}) *(; *(${item}) *){0,${MAX_LIST_ITEMS - 1}};? *$`);
}

const INDICATOR_LIST = listOf(INDICATOR_IDS.join('|'));
const PERIOD_LIST = listOf(
  `[0-9]{8}|[0-9]{6}|[0-9]{4}Q[1-4]|[0-9]{4}|[0-9]{4}YTD[0-9]{4}|${RELATIVE_PERIODS.join('|')}`,
);
const UNIT_LIST = listOf(`[0-9]{12}(:children|:level:(${DIVISION_LEVELS.join('|')}))?`);

export class AnalyticsQueryDto {
  @ApiProperty({
    description: 'Indicators, separated by ; (GET /v1/indicators lists them)',
    example: 'retail_sales;parcel_volume',
  })
  @IsString()
  @Matches(INDICATOR_LIST, {
    message: 'dx "$value" must list indicators separated by ; (GET /v1/indicators lists them)',
  })
  dx!: string;

  @ApiProperty({
    description:
      'Periods, separated by ;: day 20240801, month 202408, quarter 2024Q3, year 2024, year-to-date 2024YTD0815, or TODAY, YESTERDAY, THIS_MONTH, LAST_MONTH, THIS_QUARTER, THIS_YEAR, LAST_YEAR, YTD, LAST_7_DAYS, LAST_30_DAYS, LAST_12_MONTHS (Asia/Shanghai calendar)',
    example: '202408;2024Q3',
  })
  @IsString()
  @Matches(PERIOD_LIST, {
    message: `pe "$value" must list periods separated by ;: 20240801, 202408, 2024Q3, 2024, 2024YTD0815 or ${RELATIVE_PERIODS.join(', ')}`,
  })
  pe!: string;

  @ApiProperty({
    description:
      'Divisions, separated by ;: a 12-digit code, <code>:children, or <code>:level:<province|city|county|town|village> (all descendants at that level)',
    example: '370982000000;370982000000:children',
  })
  @IsString()
  @Matches(UNIT_LIST, {
    message: `ou "$value" must list <code>, <code>:children or <code>:level:<${DIVISION_LEVELS.join('|')}> separated by ;`,
  })
  ou!: string;

  @ApiPropertyOptional({
    description:
      'enterprises_over_threshold: sales threshold in fen (default 1000000000 = ¥10,000,000)',
    example: 800000000,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'threshold must be an integer amount in fen' })
  @Min(0)
  threshold?: number;

  @ApiPropertyOptional({
    description:
      'Narrow to one split member: platform:<code>, carrier:<code>, enterprise:<id>, program:<id>, source:<id>',
    example: 'platform:taobao',
  })
  @IsOptional()
  @IsString()
  @Matches(INDICATOR_SCOPE_PATTERN, {
    message:
      'scope must be platform:<code>, carrier:<code>, enterprise:<id>, program:<id> or source:<id>',
  })
  @MaxLength(100)
  scope?: string;
}
