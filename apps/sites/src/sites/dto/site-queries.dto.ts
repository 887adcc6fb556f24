import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import {
  CalendarDay,
  DivisionPrefix,
  ENTERPRISE_CARRIER_CODE_PATTERN,
  EntityId,
  OptionalText,
  SITE_KINDS,
  SITE_STATUSES,
  type SiteKind,
  type SiteStatus,
} from '@ecomlog/contracts';
import { PageQuery } from '@ecomlog/http';

export class AsOfQuery {
  @ApiPropertyOptional({
    description: 'See the site as of this Asia/Shanghai day; defaults to today',
    example: '2024-06-30',
  })
  @IsOptional()
  @CalendarDay()
  asOf?: string;
}

export class ListSitesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: SITE_KINDS })
  @IsOptional()
  @IsIn(SITE_KINDS)
  kind?: SiteKind;

  @ApiPropertyOptional({
    description: 'Division code prefix (2–12 digits): 640521 is 中宁县 and all inside it',
    example: '640521',
  })
  @IsOptional()
  @DivisionPrefix()
  divisionPrefix?: string;

  @ApiPropertyOptional({ enum: SITE_STATUSES, description: 'Status on asOf' })
  @IsOptional()
  @IsIn(SITE_STATUSES)
  status?: SiteStatus;

  @ApiPropertyOptional({ description: 'Operator enterprise id' })
  @IsOptional()
  @EntityId('an enterprise')
  operatorId?: string;

  @ApiPropertyOptional({ description: 'Serves this carrier code', example: 'ZTO' })
  @IsOptional()
  @Matches(ENTERPRISE_CARRIER_CODE_PATTERN, {
    message: 'carrier must be a short upper-case carrier code such as ZTO',
  })
  carrier?: string;

  @ApiPropertyOptional({
    description:
      'Asia/Shanghai day the list is seen as of (default today): sites not yet registered by then are left out',
    example: '2024-06-30',
  })
  @IsOptional()
  @CalendarDay()
  asOf?: string;
}

export class ChangeSiteStatusDto {
  @ApiProperty({ enum: SITE_STATUSES, example: 'operating' })
  @IsIn(SITE_STATUSES)
  status!: SiteStatus;

  @ApiProperty({
    description:
      'First day of the new status (Asia/Shanghai); may be back-dated, never in the future',
    example: '2024-03-01',
  })
  @CalendarDay()
  effectiveFrom!: string;

  @ApiPropertyOptional({ example: '县商务局验收通过', nullable: true })
  @OptionalText(500)
  note?: string | null;
}
