import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import {
  DivisionPrefix,
  ENTERPRISE_KINDS,
  ENTERPRISE_STATUSES,
  OptionalText,
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
  @DivisionPrefix()
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
  @OptionalText(100)
  q?: string;
}
