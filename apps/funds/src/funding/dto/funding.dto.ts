import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { Type } from 'class-transformer';
import { PageQuery } from '@ecomlog/http';

export const SOURCE_LEVELS = ['central', 'provincial', 'municipal', 'county'] as const;
export type SourceLevel = (typeof SOURCE_LEVELS)[number];

const DIVISION_CODE = /^\d{12}$/;
const MAX_FEN = Number.MAX_SAFE_INTEGER;

/** 资金来源: a budget line of one level of government for one year. */
export class CreateSourceDto {
  @ApiProperty({ example: '2019年中央财政电子商务进农村综合示范资金' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ enum: SOURCE_LEVELS })
  @IsIn(SOURCE_LEVELS, { message: `level must be one of ${SOURCE_LEVELS.join(', ')}` })
  level!: SourceLevel;

  @ApiProperty({ example: 2019 })
  @IsInt()
  @Min(2000)
  @Max(2100)
  budgetYear!: number;

  @ApiProperty({
    description: 'The region whose programs may draw on this source (12 digits)',
    example: '370982000000',
  })
  @Matches(DIVISION_CODE, { message: 'divisionCode must be a 12-digit division code' })
  divisionCode!: string;

  @ApiProperty({ description: 'Amount in fen', example: 1_500_000_000 })
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  amountFen!: number;
}

/** 项目: a program such as 电子商务进农村综合示范 of one region and year. */
export class CreateProgramDto {
  @ApiProperty({ example: '2019年电子商务进农村综合示范' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 2019 })
  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;

  @ApiProperty({ description: 'The region the program serves', example: '370982000000' })
  @Matches(DIVISION_CODE, { message: 'divisionCode must be a 12-digit division code' })
  divisionCode!: string;
}

export class CreateAllocationDto {
  @ApiProperty()
  @IsUUID(undefined, { message: 'sourceId must be a funding source id (UUID)' })
  sourceId!: string;

  @ApiProperty()
  @IsUUID(undefined, { message: 'programId must be a program id (UUID)' })
  programId!: string;

  @ApiProperty({ description: 'Amount in fen', example: 1_500_000_000 })
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  amountFen!: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  memo?: string;
}

export class ListFundingQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Division code prefix, e.g. 370982' })
  @IsOptional()
  @Matches(/^\d{2,12}$/, { message: 'divisionPrefix must be 2–12 digits of a division code' })
  divisionPrefix?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;
}
