import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { CalendarDay, DivisionCode, EntityId, OptionalText, Text } from '@ecomlog/contracts';

export class CreateBrandDto {
  @ApiProperty({ example: '中宁枸杞' })
  @Text(100)
  name!: string;

  @ApiProperty({
    description:
      'The region whose public brand it is (any level); authorised enterprises lie inside it',
    example: '640521000000',
  })
  @DivisionCode({ message: 'divisionCode must be a 12-digit division code (统计用区划代码)' })
  divisionCode!: string;

  @ApiPropertyOptional({ example: '国家地理标志证明商标' })
  @OptionalText(1000)
  description?: string;
}

export class AuthoriseEnterpriseDto {
  @ApiProperty({ example: '0b6f6a8e-4c1d-4f7e-9a51-3e2d7c9b1f20' })
  @EntityId('an enterprise')
  enterpriseId!: string;

  @ApiPropertyOptional({ description: 'Defaults to today (Asia/Shanghai)', example: '2023-05-10' })
  @IsOptional()
  @CalendarDay()
  authorisedOn?: string;
}

export class AddBrandProductDto {
  @ApiProperty({ example: '中宁枸杞 特级 500g' })
  @Text(200)
  name!: string;

  @ApiProperty({ description: '追溯码, unique across every brand', example: 'ZNGQ-2023-000187' })
  @Matches(/^[A-Za-z0-9._-]{4,64}$/, {
    message: 'traceabilityCode must be 4–64 letters, digits or . _ -',
  })
  traceabilityCode!: string;

  @ApiProperty({ description: 'The producing enterprise; it must be authorised for the brand' })
  @EntityId('an enterprise')
  enterpriseId!: string;
}
