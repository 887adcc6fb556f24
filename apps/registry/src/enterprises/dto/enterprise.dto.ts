import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import {
  ENTERPRISE_CARRIER_CODE_PATTERN,
  ENTERPRISE_KINDS,
  IsCreditCode,
  LOGISTICS_RATINGS,
  type EnterpriseKind,
  type LogisticsRating,
} from '@ecomlog/contracts';

export const CALENDAR_DAY = /^\d{4}-\d{2}-\d{2}$/;
export const DAY_MESSAGE = {
  message: '$property must be a calendar day YYYY-MM-DD (Asia/Shanghai)',
};
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
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ enum: ENTERPRISE_KINDS, isArray: true, example: ['ecommerce_retailer'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ENTERPRISE_KINDS.length)
  @ArrayUnique()
  @IsIn(ENTERPRISE_KINDS, { each: true })
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
  @Matches(/^\d{12}$/, DIVISION_MESSAGE)
  registeredDivisionCode!: string;

  @ApiProperty({ description: 'Registration date (Asia/Shanghai)', example: '2019-04-12' })
  @Matches(CALENDAR_DAY, DAY_MESSAGE)
  @IsISO8601({ strict: true }, DAY_MESSAGE)
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
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ enum: ENTERPRISE_KINDS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ENTERPRISE_KINDS.length)
  @ArrayUnique()
  @IsIn(ENTERPRISE_KINDS, { each: true })
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
  @Matches(/^\d{12}$/, DIVISION_MESSAGE)
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
