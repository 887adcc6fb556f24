import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';

const CALENDAR_DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MESSAGE = { message: '$property must be a calendar day YYYY-MM-DD (Asia/Shanghai)' };

export class CreateBrandDto {
  @ApiProperty({ example: '中宁枸杞' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @ApiProperty({
    description:
      'The region whose public brand it is (any level); authorised enterprises lie inside it',
    example: '640521000000',
  })
  @Matches(/^\d{12}$/, {
    message: 'divisionCode must be a 12-digit division code (统计用区划代码)',
  })
  divisionCode!: string;

  @ApiPropertyOptional({ example: '国家地理标志证明商标' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;
}

export class AuthoriseEnterpriseDto {
  @ApiProperty({ example: '0b6f6a8e-4c1d-4f7e-9a51-3e2d7c9b1f20' })
  @IsUUID(undefined, { message: 'enterpriseId must be an enterprise id (UUID)' })
  enterpriseId!: string;

  @ApiPropertyOptional({ description: 'Defaults to today (Asia/Shanghai)', example: '2023-05-10' })
  @IsOptional()
  @Matches(CALENDAR_DAY, DAY_MESSAGE)
  @IsISO8601({ strict: true }, DAY_MESSAGE)
  authorisedOn?: string;
}

export class AddBrandProductDto {
  @ApiProperty({ example: '中宁枸杞 特级 500g' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ description: '追溯码, unique across every brand', example: 'ZNGQ-2023-000187' })
  @Matches(/^[A-Za-z0-9._-]{4,64}$/, {
    message: 'traceabilityCode must be 4–64 letters, digits or . _ -',
  })
  traceabilityCode!: string;

  @ApiProperty({ description: 'The producing enterprise; it must be authorised for the brand' })
  @IsUUID(undefined, { message: 'enterpriseId must be an enterprise id (UUID)' })
  enterpriseId!: string;
}
