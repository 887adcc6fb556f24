import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
  IsObject,
} from 'class-validator';
import { SITE_KINDS, type SiteKind } from '@ecomlog/contracts';
import { TRANCHE_CONDITION_KINDS, type TrancheConditionKind } from '../tranche-schedule';

const CALENDAR_DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MESSAGE = { message: '$property must be a calendar day YYYY-MM-DD (Asia/Shanghai)' };
const MAX_FEN = Number.MAX_SAFE_INTEGER;

export class TrancheConditionDto {
  @ApiProperty({ enum: TRANCHE_CONDITION_KINDS })
  @IsIn(TRANCHE_CONDITION_KINDS, {
    message: `kind must be one of ${TRANCHE_CONDITION_KINDS.join(', ')}`,
  })
  kind!: TrancheConditionKind;

  @ApiPropertyOptional({ enum: SITE_KINDS, description: 'milestone: the kind of site counted' })
  @IsOptional()
  @IsIn(SITE_KINDS, { message: `siteKind must be one of ${SITE_KINDS.join(', ')}` })
  siteKind?: SiteKind;

  @ApiPropertyOptional({
    description: 'milestone: at least this many such sites of the contractor operating',
    example: 20,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100000)
  minimumOperating?: number;
}

export class TrancheDto {
  @ApiPropertyOptional({ example: '签约拨付 30%' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
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
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  amountFen?: number;

  @ApiProperty({ type: TrancheConditionDto })
  @IsObject()
  @ValidateNested()
  @Type(() => TrancheConditionDto)
  condition!: TrancheConditionDto;
}

export class ContractTaskDto {
  @ApiProperty({ example: '建设运营20个镇级电商服务站' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  description!: string;

  @ApiPropertyOptional({ enum: SITE_KINDS, description: 'Site target: kind of site' })
  @IsOptional()
  @IsIn(SITE_KINDS, { message: `siteKind must be one of ${SITE_KINDS.join(', ')}` })
  siteKind?: SiteKind;

  @ApiPropertyOptional({ description: 'Site target: how many operating', example: 20 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100000)
  targetCount?: number;
}

/** 承办合同: a contract between a program and a contractor enterprise (winning bid). */
export class CreateContractDto {
  @ApiProperty()
  @IsUUID(undefined, { message: 'programId must be a program id (UUID)' })
  programId!: string;

  @ApiProperty({ description: 'An active service_contractor enterprise of the registry' })
  @IsUUID(undefined, { message: 'contractorEnterpriseId must be an enterprise id (UUID)' })
  contractorEnterpriseId!: string;

  @ApiProperty({ example: '市镇村三级电商公共服务体系建设' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title!: string;

  @ApiProperty({ description: 'Amount in fen', example: 600_000_000 })
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  amountFen!: number;

  @ApiPropertyOptional({
    description: 'Signing day (default today, Asia/Shanghai)',
    example: '2020-03-20',
  })
  @IsOptional()
  @Matches(CALENDAR_DAY, DAY_MESSAGE)
  @IsISO8601({ strict: true }, DAY_MESSAGE)
  signedOn?: string;

  @ApiPropertyOptional({ type: [ContractTaskDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ContractTaskDto)
  tasks?: ContractTaskDto[];

  @ApiProperty({ type: [TrancheDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => TrancheDto)
  tranches!: TrancheDto[];
}

export class ListContractsQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID(undefined, { message: 'programId must be a program id (UUID)' })
  programId?: string;
}

export class ManualApprovalDto {
  @ApiPropertyOptional({ example: '验收材料齐全' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class FindingDto {
  @ApiProperty({ example: '扶贫台账不完善' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
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
  @Matches(CALENDAR_DAY, DAY_MESSAGE)
  @IsISO8601({ strict: true }, DAY_MESSAGE)
  auditedOn?: string;

  @ApiPropertyOptional({ example: '中期审计' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  summary?: string;

  @ApiPropertyOptional({ type: [FindingDto], description: 'Required when the outcome is findings' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => FindingDto)
  findings?: FindingDto[];
}

export class RectifyFindingDto {
  @ApiProperty({ example: '台账已补齐并经复核' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  note!: string;
}

export class DecisionDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

export class RejectDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
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
