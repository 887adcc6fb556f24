import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  ENTERPRISE_CARRIER_CODE_PATTERN,
  SITE_LATITUDE_RANGE,
  SITE_LONGITUDE_RANGE,
  SITE_SERVICES,
  type SiteService,
} from '@ecomlog/contracts';
import {
  CARRIERS_MESSAGE,
  DIVISION_MESSAGE,
  LATITUDE_MESSAGE,
  LONGITUDE_MESSAGE,
} from './create-site.dto';

/**
 * Only the fields given change; `null` clears dailyCapacity, address or the location (latitude and
 * longitude together). The kind cannot change (another kind is another site) and the status
 * changes through POST /v1/sites/{id}/status.
 */
export class UpdateSiteDto {
  @ApiPropertyOptional({ example: '宁安镇殷庄村电商服务点' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ description: 'Move the site; the level must fit its kind' })
  @IsOptional()
  @Matches(/^\d{12}$/, DIVISION_MESSAGE)
  divisionCode?: string;

  @ApiPropertyOptional({ description: 'A new operator: an active registered enterprise' })
  @IsOptional()
  @IsUUID(undefined, { message: 'operatorEnterpriseId must be an enterprise id (UUID)' })
  operatorEnterpriseId?: string;

  @ApiPropertyOptional({ type: [String], example: ['ZTO', 'YTO', 'YUNDA'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(ENTERPRISE_CARRIER_CODE_PATTERN, CARRIERS_MESSAGE)
  carriers?: string[];

  @ApiPropertyOptional({ enum: SITE_SERVICES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(SITE_SERVICES.length)
  @ArrayUnique()
  @IsIn(SITE_SERVICES, { each: true })
  services?: SiteService[];

  @ApiPropertyOptional({ nullable: true, description: 'null clears it' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  dailyCapacity?: number | null;

  @ApiPropertyOptional({ nullable: true, description: 'null clears it' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  address?: string | null;

  @ApiPropertyOptional({ nullable: true, description: 'With longitude; null (both) clears' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, LATITUDE_MESSAGE)
  @Min(SITE_LATITUDE_RANGE.min, LATITUDE_MESSAGE)
  @Max(SITE_LATITUDE_RANGE.max, LATITUDE_MESSAGE)
  latitude?: number | null;

  @ApiPropertyOptional({ nullable: true, description: 'With latitude; null (both) clears' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, LONGITUDE_MESSAGE)
  @Min(SITE_LONGITUDE_RANGE.min, LONGITUDE_MESSAGE)
  @Max(SITE_LONGITUDE_RANGE.max, LONGITUDE_MESSAGE)
  longitude?: number | null;

  @ApiPropertyOptional({ description: '冷链; warehouses only' })
  @IsOptional()
  @IsBoolean()
  coldChain?: boolean;

  @ApiPropertyOptional({ description: '云仓; warehouses only' })
  @IsOptional()
  @IsBoolean()
  cloudWarehouse?: boolean;
}
