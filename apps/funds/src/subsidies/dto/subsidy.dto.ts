import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ENTERPRISE_KINDS, type EnterpriseKind } from '@ecomlog/contracts';

const CALENDAR_DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MESSAGE = { message: '$property must be a calendar day YYYY-MM-DD (Asia/Shanghai)' };
const MAX_FEN = Number.MAX_SAFE_INTEGER;

export class SalesThresholdDto {
  @ApiProperty({
    description: 'retail_sales of the enterprise must reach this (fen)',
    example: 800_000_000,
  })
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  minimumFen!: number;

  @ApiPropertyOptional({
    description: 'YYYY or YYYYMM; default: the year before the application date',
    example: '2023',
  })
  @IsOptional()
  @Matches(/^\d{4}(\d{2})?$/, { message: 'period must be YYYY or YYYYMM' })
  period?: string;
}

/** 奖补政策: eligibility rules and the most one application may receive. */
export class CreateSubsidyPolicyDto {
  @ApiProperty()
  @IsUUID(undefined, { message: 'programId must be a program id (UUID)' })
  programId!: string;

  @ApiProperty({ example: '2024年网络零售企业奖补' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ description: 'Most one application may receive (fen)', example: 10_000_000 })
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  maxAmountFen!: number;

  @ApiPropertyOptional({
    description: 'Jurisdiction (12 digits); default: the program region',
    example: '370982000000',
  })
  @IsOptional()
  @Matches(/^\d{12}$/, { message: 'jurisdictionDivisionCode must be a 12-digit division code' })
  jurisdictionDivisionCode?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  requireTaxedLocally?: boolean;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  requireIndependentLegalEntity?: boolean;

  @ApiProperty({ enum: ENTERPRISE_KINDS, isArray: true, example: ['ecommerce_retailer'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ENTERPRISE_KINDS, {
    each: true,
    message: `eligibleKinds must be among ${ENTERPRISE_KINDS.join(', ')}`,
  })
  eligibleKinds!: EnterpriseKind[];

  @ApiPropertyOptional({ type: SalesThresholdDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SalesThresholdDto)
  salesThreshold?: SalesThresholdDto;
}

export class CreateSubsidyApplicationDto {
  @ApiProperty()
  @IsUUID(undefined, { message: 'policyId must be a subsidy policy id (UUID)' })
  policyId!: string;

  @ApiProperty()
  @IsUUID(undefined, { message: 'enterpriseId must be an enterprise id (UUID)' })
  enterpriseId!: string;

  @ApiProperty({ example: 5_000_000 })
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  amountFen!: number;

  @ApiPropertyOptional({ description: 'Default today (Asia/Shanghai)', example: '2024-03-01' })
  @IsOptional()
  @Matches(CALENDAR_DAY, DAY_MESSAGE)
  @IsISO8601({ strict: true }, DAY_MESSAGE)
  applicationDate?: string;
}

export class ListSubsidyApplicationsQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  policyId?: string;

  @ApiPropertyOptional({ enum: ['eligible', 'ineligible', 'approved', 'rejected', 'paid'] })
  @IsOptional()
  @IsIn(['eligible', 'ineligible', 'approved', 'rejected', 'paid'])
  status?: string;
}
