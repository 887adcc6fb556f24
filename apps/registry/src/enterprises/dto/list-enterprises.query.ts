import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import {
  ENTERPRISE_KINDS,
  ENTERPRISE_STATUSES,
  type EnterpriseKind,
  type EnterpriseStatus,
} from '@ecomlog/contracts';
import { PageQuery } from '@ecomlog/http';

export class ListEnterprisesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ENTERPRISE_KINDS })
  @IsOptional()
  @IsIn(ENTERPRISE_KINDS)
  kind?: EnterpriseKind;

  @ApiPropertyOptional({
    description: 'Registered division code prefix (2–12 digits): 6405 is 中卫市 and all inside it',
    example: '640521',
  })
  @IsOptional()
  @Matches(/^\d{2,12}$/, { message: 'divisionPrefix must be 2–12 digits of a division code' })
  divisionPrefix?: string;

  @ApiPropertyOptional({ enum: ENTERPRISE_STATUSES })
  @IsOptional()
  @IsIn(ENTERPRISE_STATUSES)
  status?: EnterpriseStatus;

  @ApiPropertyOptional({
    description: 'Has a designation: national | provincial | municipal | any, optionally :year',
    example: 'provincial:2023',
  })
  @IsOptional()
  @Matches(/^(national|provincial|municipal|any)(:\d{4})?$/, {
    message: 'designation must be national, provincial, municipal or any, optionally :YYYY',
  })
  designation?: string;

  @ApiPropertyOptional({ description: 'Part of the name, or the start of the credit code' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}
