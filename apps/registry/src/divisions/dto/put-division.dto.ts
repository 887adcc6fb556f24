import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DIVISION_STATUSES, type DivisionStatus } from '@ecomlog/contracts';

export class PutDivisionDto {
  @ApiProperty({ example: '宣和镇' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
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
  @Matches(/^\d{12}$/, { message: 'replacedBy must be a 12-digit division code' })
  replacedBy?: string;
}
