import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, Matches } from 'class-validator';
import {
  CalendarDay,
  DivisionCode,
  ENTERPRISE_CARRIER_CODE_PATTERN,
  ENTERPRISE_KINDS,
  IsCreditCode,
  LOGISTICS_RATINGS,
  SubsetOf,
  Text,
  type EnterpriseKind,
  type LogisticsRating,
} from '@ecomlog/contracts';

const CARRIER_MESSAGE = {
  message: 'carrierCode must be a short upper-case express-brand code such as ZTO, YTO or SF',
};
const DIVISION_MESSAGE = {
  message: 'registeredDivisionCode must be a 12-digit division code (统计用区划代码)',
};

export class CreateEnterpriseDto {
  @ApiProperty({
    description:
      '统一社会信用代码 (GB 32100-2015), 18 characters, upper case, with check character',
    example: '91640521MA76L6QK0K',
  })
  @IsCreditCode()
  creditCode!: string;

  @ApiProperty({ example: '中宁县枸杞电子商务有限公司' })
  @Text(200)
  name!: string;

  @ApiProperty({ enum: ENTERPRISE_KINDS, isArray: true, example: ['ecommerce_retailer'] })
  @SubsetOf(ENTERPRISE_KINDS, { minSize: 1, maxSize: ENTERPRISE_KINDS.length })
  kinds!: EnterpriseKind[];

  @ApiPropertyOptional({
    description: 'Express-brand code; required for, and only for, kind courier',
    example: 'ZTO',
    nullable: true,
  })
  @IsOptional()
  @Matches(ENTERPRISE_CARRIER_CODE_PATTERN, CARRIER_MESSAGE)
  carrierCode?: string | null;

  @ApiPropertyOptional({
    description: '物流企业综合评估 A level; only for kind logistics',
    enum: LOGISTICS_RATINGS,
    nullable: true,
  })
  @IsOptional()
  @IsIn(LOGISTICS_RATINGS)
  logisticsRating?: LogisticsRating | null;

  @ApiProperty({ description: 'County, town or village', example: '640521100000' })
  @DivisionCode(DIVISION_MESSAGE)
  registeredDivisionCode!: string;

  @ApiProperty({ description: 'Registration date (Asia/Shanghai)', example: '2019-04-12' })
  @CalendarDay()
  registeredOn!: string;

  @ApiProperty({ description: '在本地纳税' })
  @IsBoolean()
  taxRegisteredLocally!: boolean;

  @ApiProperty({ description: '独立法人' })
  @IsBoolean()
  independentLegalEntity!: boolean;
}

/** Only the fields given change; `null` clears carrierCode or logisticsRating. */
export class UpdateEnterpriseDto {
  @ApiPropertyOptional({ example: '中宁县枸杞电子商务有限公司' })
  @IsOptional()
  @Text(200)
  name?: string;

  @ApiPropertyOptional({ enum: ENTERPRISE_KINDS, isArray: true })
  @IsOptional()
  @SubsetOf(ENTERPRISE_KINDS, { minSize: 1, maxSize: ENTERPRISE_KINDS.length })
  kinds?: EnterpriseKind[];

  @ApiPropertyOptional({ example: 'ZTO', nullable: true, description: 'null clears it' })
  @IsOptional()
  @Matches(ENTERPRISE_CARRIER_CODE_PATTERN, CARRIER_MESSAGE)
  carrierCode?: string | null;

  @ApiPropertyOptional({ enum: LOGISTICS_RATINGS, nullable: true, description: 'null clears it' })
  @IsOptional()
  @IsIn(LOGISTICS_RATINGS)
  logisticsRating?: LogisticsRating | null;

  @ApiPropertyOptional({ description: 'Move the registration (迁址)', example: '640521101000' })
  @IsOptional()
  @DivisionCode(DIVISION_MESSAGE)
  registeredDivisionCode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  taxRegisteredLocally?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  independentLegalEntity?: boolean;
}
