import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  ASSESSMENT_MAX_DIMENSIONS,
  ASSESSMENT_PERIOD_MESSAGE,
  ASSESSMENT_PERIOD_PATTERN,
  IsAtMostProperty,
} from '@ecomlog/contracts';

const CALENDAR_DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MESSAGE = { message: '$property must be a calendar day YYYY-MM-DD (Asia/Shanghai)' };
const SCORE = { allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 };
const SCORE_MESSAGE = {
  message: '$property must be a number from 0 to 100 with at most two decimals',
};

export class AssessmentDimensionDto {
  @ApiProperty({ example: '服务功能', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @ApiProperty({ minimum: 0, maximum: 100, example: 90 })
  @IsNumber(SCORE, SCORE_MESSAGE)
  @Min(0, SCORE_MESSAGE)
  @Max(100, SCORE_MESSAGE)
  score!: number;

  @ApiPropertyOptional({
    description: 'Share of this dimension in the total, in percent (0 < weight ≤ 100)',
    example: 40,
    nullable: true,
  })
  @IsOptional()
  @IsNumber(SCORE, { message: 'weight must be a number with at most two decimals' })
  @Min(0.01, { message: 'weight must be more than 0 (a share of the total, in percent)' })
  @Max(100, { message: 'weight must be at most 100 (a share of the total, in percent)' })
  weight?: number | null;
}

/** 动态考核: one assessment of a site for one quarter. */
export class RecordAssessmentDto {
  @ApiProperty({
    description:
      'The quarter assessed, YYYYQn (Asia/Shanghai); one assessment per site and quarter',
    example: '2024Q3',
    pattern: ASSESSMENT_PERIOD_PATTERN.source,
  })
  @Matches(ASSESSMENT_PERIOD_PATTERN, { message: ASSESSMENT_PERIOD_MESSAGE })
  period!: string;

  @ApiProperty({ minimum: 0, maximum: 100, example: 86.5 })
  @IsNumber(SCORE, SCORE_MESSAGE)
  @Min(0, SCORE_MESSAGE)
  @Max(100, SCORE_MESSAGE)
  totalScore!: number;

  @ApiProperty({ type: [AssessmentDimensionDto], description: 'Named dimensions, names unique' })
  @IsArray()
  @ArrayMinSize(1, { message: 'dimensions must name at least one scored dimension' })
  @ArrayMaxSize(ASSESSMENT_MAX_DIMENSIONS)
  @ArrayUnique((dimension: AssessmentDimensionDto) => dimension.name, {
    message: 'dimensions must have distinct names',
  })
  @ValidateNested({ each: true })
  @Type(() => AssessmentDimensionDto)
  dimensions!: AssessmentDimensionDto[];

  @ApiProperty({
    description: 'Day of the assessment; within or after the quarter, not in the future',
    example: '2024-10-12',
  })
  @Matches(CALENDAR_DAY, DAY_MESSAGE)
  @IsISO8601({ strict: true }, DAY_MESSAGE)
  assessedOn!: string;

  @ApiProperty({ description: 'Who assessed (a person or a body)', example: '中宁县商务局考核组' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  assessor!: string;
}

/** 培训: a training held at a site. */
export class RecordTrainingDto {
  @ApiProperty({
    description: 'Day held (Asia/Shanghai), not in the future',
    example: '2024-09-20',
  })
  @Matches(CALENDAR_DAY, DAY_MESSAGE)
  @IsISO8601({ strict: true }, DAY_MESSAGE)
  heldOn!: string;

  @ApiProperty({ example: '农村电商创业培训班：短视频直播带货实操' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  topic!: string;

  @ApiProperty({ minimum: 1, example: 42 })
  @IsInt()
  @Min(1)
  @Max(100_000)
  attendees!: number;

  @ApiProperty({
    description: 'Of the attendees, those from registered poor households (建档立卡贫困户)',
    minimum: 0,
    example: 9,
  })
  @IsInt()
  @Min(0)
  @IsAtMostProperty('attendees')
  registeredPoorAttendees!: number;

  @ApiPropertyOptional({ example: '宁夏电商协会', nullable: true })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  trainer?: string | null;
}
