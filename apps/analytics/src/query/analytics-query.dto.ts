import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';

export class AnalyticsQueryDto {
  @ApiProperty({
    description: 'Indicators, separated by ; (GET /v1/indicators lists them)',
    example: 'retail_sales;parcel_volume',
  })
  @IsString()
  @MaxLength(1000)
  dx!: string;

  @ApiProperty({
    description:
      'Periods, separated by ;: day 20240801, month 202408, quarter 2024Q3, year 2024, year-to-date 2024YTD0815, or TODAY, YESTERDAY, THIS_MONTH, LAST_MONTH, THIS_QUARTER, THIS_YEAR, LAST_YEAR, YTD, LAST_7_DAYS, LAST_30_DAYS, LAST_12_MONTHS (Asia/Shanghai calendar)',
    example: '202408;2024Q3',
  })
  @IsString()
  @MaxLength(1000)
  pe!: string;

  @ApiProperty({
    description:
      'Divisions, separated by ;: a 12-digit code, <code>:children, or <code>:level:<province|city|county|town|village> (all descendants at that level)',
    example: '370982000000;370982000000:children',
  })
  @IsString()
  @MaxLength(2000)
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
  @MaxLength(100)
  scope?: string;
}
