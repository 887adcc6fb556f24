import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import {
  DivisionCode,
  EntityId,
  FiniteNumberIn,
  SITE_LATITUDE_RANGE,
  SITE_LONGITUDE_RANGE,
  SITE_SERVICES,
  SubsetOf,
  Text,
  WholeNumber,
  type SiteService,
} from '@ecomlog/contracts';
import {
  DIVISION_MESSAGE,
  LATITUDE_MESSAGE,
  LONGITUDE_MESSAGE,
  ServedCarriers,
} from './create-site.dto';

/**
 * Only the fields given change; `null` clears dailyCapacity, address or the location (latitude and
 * longitude together). The kind cannot change (another kind is another site) and the status
 * changes through POST /v1/sites/{id}/status.
 */
export class UpdateSiteDto {
  @ApiPropertyOptional({ example: '宁安镇殷庄村电商服务点' })
  @IsOptional()
  @Text(200)
  name?: string;

  @ApiPropertyOptional({ description: 'Move the site; the level must fit its kind' })
  @IsOptional()
  @DivisionCode(DIVISION_MESSAGE)
  divisionCode?: string;

  @ApiPropertyOptional({ description: 'A new operator: an active registered enterprise' })
  @IsOptional()
  @EntityId('an enterprise')
  operatorEnterpriseId?: string;

  @ApiPropertyOptional({ type: [String], example: ['ZTO', 'YTO', 'YUNDA'] })
  @IsOptional()
  @ServedCarriers()
  carriers?: string[];

  @ApiPropertyOptional({ enum: SITE_SERVICES, isArray: true })
  @IsOptional()
  @SubsetOf(SITE_SERVICES, { maxSize: SITE_SERVICES.length })
  services?: SiteService[];

  @ApiPropertyOptional({ nullable: true, description: 'null clears it' })
  @IsOptional()
  @WholeNumber(0, 10_000_000)
  dailyCapacity?: number | null;

  @ApiPropertyOptional({ nullable: true, description: 'null clears it' })
  @IsOptional()
  @Text(300)
  address?: string | null;

  @ApiPropertyOptional({ nullable: true, description: 'With longitude; null (both) clears' })
  @IsOptional()
  @FiniteNumberIn(SITE_LATITUDE_RANGE, LATITUDE_MESSAGE)
  latitude?: number | null;

  @ApiPropertyOptional({ nullable: true, description: 'With latitude; null (both) clears' })
  @IsOptional()
  @FiniteNumberIn(SITE_LONGITUDE_RANGE, LONGITUDE_MESSAGE)
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
