import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  Matches,
} from 'class-validator';
import {
  CalendarDay,
  DivisionCode,
  ENTERPRISE_CARRIER_CODE_PATTERN,
  EntityId,
  FiniteNumberIn,
  OptionalText,
  SITE_KINDS,
  SITE_LATITUDE_RANGE,
  SITE_LONGITUDE_RANGE,
  SITE_SERVICES,
  stacked,
  SubsetOf,
  Text,
  WholeNumber,
  type SiteKind,
  type SiteService,
  type SiteStatus,
} from '@ecomlog/contracts';
import { CALENDAR_DAY_MESSAGE } from '@ecomlog/kernel';

export const CALENDAR_DAY = /^\d{4}-\d{2}-\d{2}$/;
export const DAY_MESSAGE = { message: CALENDAR_DAY_MESSAGE };
export const DIVISION_MESSAGE = {
  message: 'divisionCode must be a 12-digit division code (统计用区划代码)',
};
export const CARRIERS_MESSAGE = {
  each: true,
  message: 'carriers must be short upper-case carrier codes such as ZTO, YTO or SF',
};
export const LATITUDE_MESSAGE = {
  message: `latitude must be a number from ${SITE_LATITUDE_RANGE.min} to ${SITE_LATITUDE_RANGE.max} (China, WGS-84)`,
};
export const LONGITUDE_MESSAGE = {
  message: `longitude must be a number from ${SITE_LONGITUDE_RANGE.min} to ${SITE_LONGITUDE_RANGE.max} (China, WGS-84)`,
};

/** Carrier codes of the courier enterprises a site serves (多站合一): at most 50, distinct. */
export function ServedCarriers(): PropertyDecorator {
  return stacked(
    IsArray(),
    ArrayMaxSize(50),
    ArrayUnique(),
    Matches(ENTERPRISE_CARRIER_CODE_PATTERN, CARRIERS_MESSAGE),
  );
}

/** A site enters the register when it is planned, being built or already operating. */
export const INITIAL_SITE_STATUSES = ['planned', 'under_construction', 'operating'] as const;
export type InitialSiteStatus = (typeof INITIAL_SITE_STATUSES)[number] & SiteStatus;

/**
 * One site to register. Flat on purpose: it is also one row of a bulk import (CSV/XLSX) — build it
 * with `plainToInstance(CreateSiteDto, row)` from typed cells (numbers as numbers, booleans as
 * booleans, carriers/services as arrays) and check it with class-validator's `validate`; the rules
 * that need the read models (division level, operator, carriers) are checked by
 * `SitesService.validateRows`.
 */
export class CreateSiteDto {
  @ApiProperty({ example: '宁安镇殷庄村电商服务点' })
  @Text(200)
  name!: string;

  @ApiProperty({ enum: SITE_KINDS, example: 'village_service_point' })
  @IsIn(SITE_KINDS)
  kind!: SiteKind;

  @ApiProperty({
    description:
      'Division the site sits in; its level must fit the kind (town station: town; village point: village; county centre: county …)',
    example: '640521100201',
  })
  @DivisionCode(DIVISION_MESSAGE)
  divisionCode!: string;

  @ApiProperty({
    description: 'Operator: an active enterprise registered in the registry',
    example: '0b6f6a8e-4c1d-4f7e-9a51-3e2d7c9b1f20',
  })
  @EntityId('an enterprise')
  operatorEnterpriseId!: string;

  @ApiPropertyOptional({
    description: 'Carrier codes of active courier enterprises served here (多站合一)',
    example: ['ZTO', 'YTO'],
    type: [String],
  })
  @IsOptional()
  @ServedCarriers()
  carriers?: string[];

  @ApiPropertyOptional({ enum: SITE_SERVICES, isArray: true, example: ['parcel_delivery'] })
  @IsOptional()
  @SubsetOf(SITE_SERVICES, { maxSize: SITE_SERVICES.length })
  services?: SiteService[];

  @ApiPropertyOptional({ description: 'Parcels a day', example: 300, nullable: true })
  @IsOptional()
  @WholeNumber(0, 10_000_000)
  dailyCapacity?: number | null;

  @ApiPropertyOptional({ example: '宁安镇殷庄村村委会院内', nullable: true })
  @IsOptional()
  @Text(300)
  address?: string | null;

  @ApiPropertyOptional({
    description: 'WGS-84 latitude; give it with longitude, or neither',
    example: 37.4893,
    minimum: SITE_LATITUDE_RANGE.min,
    maximum: SITE_LATITUDE_RANGE.max,
    nullable: true,
  })
  @IsOptional()
  @FiniteNumberIn(SITE_LATITUDE_RANGE, LATITUDE_MESSAGE)
  latitude?: number | null;

  @ApiPropertyOptional({
    description: 'WGS-84 longitude; give it with latitude, or neither',
    example: 105.6712,
    minimum: SITE_LONGITUDE_RANGE.min,
    maximum: SITE_LONGITUDE_RANGE.max,
    nullable: true,
  })
  @IsOptional()
  @FiniteNumberIn(SITE_LONGITUDE_RANGE, LONGITUDE_MESSAGE)
  longitude?: number | null;

  @ApiPropertyOptional({ description: '冷链; warehouses only', default: false })
  @IsOptional()
  @IsBoolean()
  coldChain?: boolean;

  @ApiPropertyOptional({ description: '云仓; warehouses only', default: false })
  @IsOptional()
  @IsBoolean()
  cloudWarehouse?: boolean;

  @ApiPropertyOptional({
    enum: INITIAL_SITE_STATUSES,
    default: 'planned',
    description: 'First entry of the status history',
  })
  @IsOptional()
  @IsIn(INITIAL_SITE_STATUSES)
  status?: InitialSiteStatus;

  @ApiPropertyOptional({
    description:
      'First day of the initial status (Asia/Shanghai); defaults to today, not in the future',
    example: '2023-03-01',
  })
  @IsOptional()
  @CalendarDay()
  effectiveFrom?: string;

  @ApiPropertyOptional({ example: '项目批复 中商建〔2023〕12号', nullable: true })
  @OptionalText(500)
  note?: string | null;
}
