import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';
import { DivisionCode, OptionalText, Text } from '@ecomlog/contracts';

export class RenameDivisionDto {
  @ApiProperty({ example: '翟镇' })
  @Text(100)
  name!: string;
}

/** What an official may say about when and why a division goes away. */
export class RetireDivisionDto {
  @ApiPropertyOptional({
    description: 'The day the change takes effect (YYYY-MM-DD)',
    example: '2024-12-31',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'effectiveOn must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'effectiveOn must be a real calendar date' })
  effectiveOn?: string;

  @ApiPropertyOptional({
    description: 'Why, e.g. the approving document',
    example: '鲁政字〔2024〕12号',
  })
  @OptionalText(500)
  note?: string;
}

export class MergeDivisionDto extends RetireDivisionDto {
  @ApiProperty({
    description: 'The active division of the same level that takes this one over',
    example: '370982103202',
  })
  @DivisionCode()
  replacedBy!: string;
}
