import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import {
  DIVISION_LEVELS,
  DIVISION_STATUSES,
  type DivisionLevel,
  type DivisionStatus,
} from '@ecomlog/contracts';
import { PageQuery } from '@ecomlog/http';

// Query strings carry text: "true"/"false" become booleans here, anything else stays and fails.
const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

export class DescendantsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DIVISION_LEVELS, description: 'Only descendants at this level' })
  @IsOptional()
  @IsIn(DIVISION_LEVELS)
  level?: DivisionLevel;

  @ApiPropertyOptional({ description: 'Only administrative villages (村民委员会, suffix 200–399)' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'administrativeOnly must be true or false' })
  administrativeOnly?: boolean;

  @ApiPropertyOptional({ enum: DIVISION_STATUSES })
  @IsOptional()
  @IsIn(DIVISION_STATUSES)
  status?: DivisionStatus;
}

export class SearchDivisionsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Fragment of the name (case-insensitive)', example: '羊流' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  q?: string;

  @ApiPropertyOptional({
    description: 'Only divisions whose code starts with these digits (2–12)',
    example: '370982',
  })
  @IsOptional()
  @Matches(/^\d{2,12}$/, { message: 'under must be a division code prefix of 2 to 12 digits' })
  under?: string;

  @ApiPropertyOptional({ enum: DIVISION_LEVELS })
  @IsOptional()
  @IsIn(DIVISION_LEVELS)
  level?: DivisionLevel;

  @ApiPropertyOptional({ enum: DIVISION_STATUSES })
  @IsOptional()
  @IsIn(DIVISION_STATUSES)
  status?: DivisionStatus;
}
