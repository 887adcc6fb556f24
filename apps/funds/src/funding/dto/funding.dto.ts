import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import {
  CalendarYear,
  DivisionCode,
  DivisionPrefix,
  EntityId,
  FenAmount,
  OneOf,
  OptionalText,
  Text,
} from '@ecomlog/contracts';
import { Type } from 'class-transformer';
import { PageQuery } from '@ecomlog/http';

export const SOURCE_LEVELS = ['central', 'provincial', 'municipal', 'county'] as const;
export type SourceLevel = (typeof SOURCE_LEVELS)[number];

/** 资金来源: a budget line of one level of government for one year. */
export class CreateSourceDto {
  @ApiProperty({ example: '2019年中央财政电子商务进农村综合示范资金' })
  @Text(200)
  name!: string;

  @ApiProperty({ enum: SOURCE_LEVELS })
  @OneOf(SOURCE_LEVELS)
  level!: SourceLevel;

  @ApiProperty({ example: 2019 })
  @CalendarYear()
  budgetYear!: number;

  @ApiProperty({
    description: 'The region whose programs may draw on this source (12 digits)',
    example: '370982000000',
  })
  @DivisionCode()
  divisionCode!: string;

  @ApiProperty({ description: 'Amount in fen', example: 1_500_000_000 })
  @FenAmount({ min: 1 })
  amountFen!: number;
}

/** 项目: a program such as 电子商务进农村综合示范 of one region and year. */
export class CreateProgramDto {
  @ApiProperty({ example: '2019年电子商务进农村综合示范' })
  @Text(200)
  name!: string;

  @ApiProperty({ example: 2019 })
  @CalendarYear()
  year!: number;

  @ApiProperty({ description: 'The region the program serves', example: '370982000000' })
  @DivisionCode()
  divisionCode!: string;
}

export class CreateAllocationDto {
  @ApiProperty()
  @EntityId('a funding source')
  sourceId!: string;

  @ApiProperty()
  @EntityId('a program')
  programId!: string;

  @ApiProperty({ description: 'Amount in fen', example: 1_500_000_000 })
  @FenAmount({ min: 1 })
  amountFen!: number;

  @ApiPropertyOptional()
  @OptionalText(500)
  memo?: string;
}

export class ListFundingQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Division code prefix, e.g. 370982' })
  @IsOptional()
  @DivisionPrefix()
  divisionPrefix?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @CalendarYear()
  year?: number;
}
