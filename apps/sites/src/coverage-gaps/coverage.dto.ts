import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';
import { DIVISION_LEVELS, type DivisionLevel } from '@ecomlog/contracts';
import { DIVISION_CODE_PATTERN } from '@ecomlog/kernel';
import { CALENDAR_DAY, DAY_MESSAGE } from '../sites/dto/create-site.dto';

export class CoverageGapsQuery {
  @ApiProperty({
    description: 'Division code of the region (county, city, province, or a single town)',
    example: '640521000000',
  })
  @Matches(DIVISION_CODE_PATTERN, { message: 'region must be a 12-digit division code' })
  region!: string;

  @ApiPropertyOptional({
    description: 'Asia/Shanghai day the coverage is asked for; defaults to today',
    example: '2024-06-30',
  })
  @IsOptional()
  @Matches(CALENDAR_DAY, DAY_MESSAGE)
  @IsISO8601({ strict: true }, DAY_MESSAGE)
  asOf?: string;
}

export class DivisionRef {
  @ApiProperty({ example: '640521100000' })
  code!: string;

  @ApiProperty({ example: '宁安镇' })
  name!: string;
}

export class CoverageIndicator {
  @ApiProperty({ description: 'Divisions counted (the denominator)' })
  total!: number;

  @ApiProperty({ description: 'Divisions covered (the numerator)' })
  covered!: number;

  @ApiProperty()
  numerator!: number;

  @ApiProperty()
  denominator!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'covered ÷ total; null when there is nothing to cover',
  })
  ratio!: number | null;

  @ApiProperty({ type: [DivisionRef], description: 'The divisions not covered, by code' })
  gaps!: DivisionRef[];
}

export class CoverageRegion {
  @ApiProperty({ example: '640521000000' })
  code!: string;

  @ApiProperty({ example: '中宁县' })
  name!: string;

  @ApiProperty({ example: 'county', enum: DIVISION_LEVELS })
  level!: DivisionLevel;
}

/** 补白: where the network is missing on a day. */
export class CoverageGaps {
  @ApiProperty({ example: '2024-06-30' })
  asOf!: string;

  @ApiProperty({ type: CoverageRegion })
  region!: CoverageRegion;

  @ApiProperty({
    type: CoverageIndicator,
    description: '乡乡有网点: towns with an operating town_service_station',
  })
  towns!: CoverageIndicator;

  @ApiProperty({
    type: CoverageIndicator,
    description:
      '村级服务点覆盖率: administrative villages with an operating village_service_point',
  })
  villagePoints!: CoverageIndicator;

  @ApiProperty({
    type: CoverageIndicator,
    description:
      '村村通快递: administrative villages with an operating village point, pickup point, parcel locker or rural supermarket serving ≥ 1 carrier',
  })
  villageExpress!: CoverageIndicator;
}
