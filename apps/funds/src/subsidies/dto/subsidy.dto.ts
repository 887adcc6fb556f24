import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import {
  CalendarDay,
  DivisionCode,
  ENTERPRISE_KINDS,
  EntityId,
  FenAmount,
  NestedObject,
  SubsetOf,
  Text,
  type EnterpriseKind,
} from '@ecomlog/contracts';

export class SalesThresholdDto {
  @ApiProperty({
    description: 'retail_sales of the enterprise must reach this (fen)',
    example: 800_000_000,
  })
  @FenAmount({ min: 1 })
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
  @EntityId('a program')
  programId!: string;

  @ApiProperty({ example: '2024年网络零售企业奖补' })
  @Text(200)
  name!: string;

  @ApiProperty({ description: 'Most one application may receive (fen)', example: 10_000_000 })
  @FenAmount({ min: 1 })
  maxAmountFen!: number;

  @ApiPropertyOptional({
    description: 'Jurisdiction (12 digits); default: the program region',
    example: '370982000000',
  })
  @IsOptional()
  @DivisionCode()
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
  @SubsetOf(ENTERPRISE_KINDS, {
    minSize: 1,
    message: `eligibleKinds must be among ${ENTERPRISE_KINDS.join(', ')}`,
  })
  eligibleKinds!: EnterpriseKind[];

  @ApiPropertyOptional({ type: SalesThresholdDto })
  @IsOptional()
  @NestedObject(() => SalesThresholdDto)
  salesThreshold?: SalesThresholdDto;
}

export class CreateSubsidyApplicationDto {
  @ApiProperty()
  @EntityId('a subsidy policy')
  policyId!: string;

  @ApiProperty()
  @EntityId('an enterprise')
  enterpriseId!: string;

  @ApiProperty({ example: 5_000_000 })
  @FenAmount({ min: 1 })
  amountFen!: number;

  @ApiPropertyOptional({ description: 'Default today (Asia/Shanghai)', example: '2024-03-01' })
  @IsOptional()
  @CalendarDay()
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
