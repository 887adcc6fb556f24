import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNumber, IsOptional, IsUUID, IsObject } from 'class-validator';
import {
  CalendarDay,
  EntityId,
  FenAmount,
  NestedArray,
  NestedObject,
  OneOf,
  OptionalText,
  SITE_KINDS,
  Text,
  WholeNumber,
  type SiteKind,
} from '@ecomlog/contracts';
import { TRANCHE_CONDITION_KINDS, type TrancheConditionKind } from '../tranche-schedule';

export class TrancheConditionDto {
  @ApiProperty({ enum: TRANCHE_CONDITION_KINDS })
  @OneOf(TRANCHE_CONDITION_KINDS)
  kind!: TrancheConditionKind;

  @ApiPropertyOptional({ enum: SITE_KINDS, description: 'milestone: the kind of site counted' })
  @IsOptional()
  @OneOf(SITE_KINDS)
  siteKind?: SiteKind;

  @ApiPropertyOptional({
    description: 'milestone: at least this many such sites of the contractor operating',
    example: 20,
  })
  @IsOptional()
  @WholeNumber(1, 100000)
  minimumOperating?: number;
}

export class TrancheDto {
  @ApiPropertyOptional({ example: '签约拨付 30%' })
  @OptionalText(200)
  label?: string;

  @ApiPropertyOptional({
    description: 'Share of the contract amount (two decimals at most)',
    example: 30,
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  percent?: number;

  @ApiPropertyOptional({ description: 'Or an amount in fen' })
  @IsOptional()
  @FenAmount({ min: 1 })
  amountFen?: number;

  @ApiProperty({ type: TrancheConditionDto })
  @IsObject()
  @NestedObject(() => TrancheConditionDto)
  condition!: TrancheConditionDto;
}

export class ContractTaskDto {
  @ApiProperty({ example: '建设运营20个镇级电商服务站' })
  @Text(500)
  description!: string;

  @ApiPropertyOptional({ enum: SITE_KINDS, description: 'Site target: kind of site' })
  @IsOptional()
  @OneOf(SITE_KINDS)
  siteKind?: SiteKind;

  @ApiPropertyOptional({ description: 'Site target: how many operating', example: 20 })
  @IsOptional()
  @WholeNumber(1, 100000)
  targetCount?: number;
}

/** 承办合同: a contract between a program and a contractor enterprise (winning bid). */
export class CreateContractDto {
  @ApiProperty()
  @EntityId('a program')
  programId!: string;

  @ApiProperty({ description: 'An active service_contractor enterprise of the registry' })
  @EntityId('an enterprise')
  contractorEnterpriseId!: string;

  @ApiProperty({ example: '市镇村三级电商公共服务体系建设' })
  @Text(200)
  title!: string;

  @ApiProperty({ description: 'Amount in fen', example: 600_000_000 })
  @FenAmount({ min: 1 })
  amountFen!: number;

  @ApiPropertyOptional({
    description: 'Signing day (default today, Asia/Shanghai)',
    example: '2020-03-20',
  })
  @IsOptional()
  @CalendarDay()
  signedOn?: string;

  @ApiPropertyOptional({ type: [ContractTaskDto] })
  @IsOptional()
  @NestedArray(() => ContractTaskDto, { maxSize: 50 })
  tasks?: ContractTaskDto[];

  @ApiProperty({ type: [TrancheDto] })
  @NestedArray(() => TrancheDto, { minSize: 1, maxSize: 20 })
  tranches!: TrancheDto[];
}

export class ListContractsQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @EntityId('a program')
  programId?: string;
}

export class ManualApprovalDto {
  @ApiPropertyOptional({ example: '验收材料齐全' })
  @OptionalText(500)
  note?: string;
}

export class FindingDto {
  @ApiProperty({ example: '扶贫台账不完善' })
  @Text(1000)
  description!: string;
}

export const AUDIT_OUTCOMES = ['passed', 'findings'] as const;

/** 审计: passed, or findings that block every later tranche until rectified. */
export class RecordAuditDto {
  @ApiProperty({ enum: AUDIT_OUTCOMES })
  @IsIn(AUDIT_OUTCOMES, { message: 'outcome must be passed or findings' })
  outcome!: (typeof AUDIT_OUTCOMES)[number];

  @ApiPropertyOptional({ description: 'Day of the audit (default today)', example: '2021-02-26' })
  @IsOptional()
  @CalendarDay()
  auditedOn?: string;

  @ApiPropertyOptional({ example: '中期审计' })
  @OptionalText(1000)
  summary?: string;

  @ApiPropertyOptional({ type: [FindingDto], description: 'Required when the outcome is findings' })
  @IsOptional()
  @NestedArray(() => FindingDto, { maxSize: 100 })
  findings?: FindingDto[];
}

export class RectifyFindingDto {
  @ApiProperty({ example: '台账已补齐并经复核' })
  @Text(1000)
  note!: string;
}

export class DecisionDto {
  @ApiPropertyOptional()
  @OptionalText(1000)
  note?: string;
}

export class RejectDto {
  @ApiProperty()
  @Text(1000)
  reason!: string;
}

export class ListDisbursementRequestsQuery {
  @ApiPropertyOptional({ enum: ['pending_approval', 'paid', 'rejected'] })
  @IsOptional()
  @IsIn(['pending_approval', 'paid', 'rejected'])
  status?: 'pending_approval' | 'paid' | 'rejected';

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  trancheId?: string;
}
