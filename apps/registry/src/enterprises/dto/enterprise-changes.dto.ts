import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import {
  CalendarDay,
  CalendarYear,
  ENTERPRISE_DESIGNATION_LEVELS,
  ENTERPRISE_SHOP_PLATFORM_PATTERN,
  ENTERPRISE_STATUSES,
  ShopId,
  Text,
  type EnterpriseDesignationLevel,
  type EnterpriseStatus,
} from '@ecomlog/contracts';

export class ChangeStatusDto {
  @ApiProperty({ enum: ENTERPRISE_STATUSES, example: 'suspended' })
  @IsIn(ENTERPRISE_STATUSES)
  status!: EnterpriseStatus;

  @ApiProperty({
    description: 'First day of the new status (Asia/Shanghai); not in the future',
    example: '2024-03-01',
  })
  @CalendarDay()
  effectiveFrom!: string;
}

export class BlacklistDto {
  @ApiProperty({ description: 'First blacklisted day; not in the future', example: '2024-03-01' })
  @CalendarDay()
  from!: string;

  @ApiPropertyOptional({
    description: 'First day no longer blacklisted (fixed-term listing); omit while open-ended',
    example: '2027-03-01',
  })
  @IsOptional()
  @CalendarDay()
  to?: string;

  @ApiProperty({ example: '列入严重违法失信名单：虚假宣传 (false advertising)' })
  @Text(500)
  reason!: string;
}

export class LiftBlacklistDto {
  @ApiPropertyOptional({
    description: 'First day no longer blacklisted; defaults to today (Asia/Shanghai)',
    example: '2024-09-01',
  })
  @IsOptional()
  @CalendarDay()
  on?: string;
}

export class AddDesignationDto {
  @ApiProperty({ enum: ENTERPRISE_DESIGNATION_LEVELS, example: 'provincial' })
  @IsIn(ENTERPRISE_DESIGNATION_LEVELS)
  level!: EnterpriseDesignationLevel;

  @ApiProperty({ example: 2023 })
  @CalendarYear()
  year!: number;

  @ApiPropertyOptional({ example: '自治区级电子商务示范企业' })
  @IsOptional()
  @Text(200)
  title?: string;
}

export class AddShopDto {
  @ApiProperty({ description: 'Lower-case platform code', example: 'taobao' })
  @Matches(ENTERPRISE_SHOP_PLATFORM_PATTERN, {
    message: 'platform must be a lower-case platform code such as taobao, jd, pinduoduo or douyin',
  })
  platform!: string;

  @ApiProperty({ description: "The platform's shop id", example: '573920114' })
  @ShopId()
  shopId!: string;

  @ApiProperty({ example: '宁安堡枸杞旗舰店' })
  @Text(200)
  name!: string;
}
