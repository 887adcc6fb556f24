import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { DIVISION_STATUSES, DivisionCode, Text, type DivisionStatus } from '@ecomlog/contracts';

export class PutDivisionDto {
  @ApiProperty({ example: '宣和镇' })
  @Text(100)
  name!: string;

  @ApiPropertyOptional({ enum: DIVISION_STATUSES, default: 'active' })
  @IsOptional()
  @IsIn(DIVISION_STATUSES)
  status?: DivisionStatus;

  @ApiPropertyOptional({
    description: 'Division this one was merged into',
    example: '640521101000',
  })
  @IsOptional()
  @DivisionCode()
  replacedBy?: string;
}
