import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsOptional,
  Matches,
  ValidateNested,
} from 'class-validator';
import {
  ASSESSMENT_MAX_DIMENSIONS,
  ASSESSMENT_PERIOD_MESSAGE,
  ASSESSMENT_PERIOD_PATTERN,
  AssessmentScore,
  AssessmentWeight,
  CalendarDay,
  IsAtMostProperty,
  Text,
  WholeNumber,
} from '@ecomlog/contracts';

export class AssessmentDimensionDto {
  @ApiProperty({ example: '服务功能', maxLength: 100 })
  @Text(100)
  name!: string;

  @ApiProperty({ minimum: 0, maximum: 100, example: 90 })
  @AssessmentScore()
  score!: number;

  @ApiPropertyOptional({
    description: 'Share of this dimension in the total, in percent (0 < weight ≤ 100)',
    example: 40,
    nullable: true,
  })
  @IsOptional()
  @AssessmentWeight()
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
  @AssessmentScore()
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
  @CalendarDay()
  assessedOn!: string;

  @ApiProperty({ description: 'Who assessed (a person or a body)', example: '中宁县商务局考核组' })
  @Text(200)
  assessor!: string;
}

/** 培训: a training held at a site. */
export class RecordTrainingDto {
  @ApiProperty({
    description: 'Day held (Asia/Shanghai), not in the future',
    example: '2024-09-20',
  })
  @CalendarDay()
  heldOn!: string;

  @ApiProperty({ example: '农村电商创业培训班：短视频直播带货实操' })
  @Text(200)
  topic!: string;

  @ApiProperty({ minimum: 1, example: 42 })
  @WholeNumber(1, 100_000)
  attendees!: number;

  @ApiProperty({
    description: 'Of the attendees, those from registered poor households (建档立卡贫困户)',
    minimum: 0,
    example: 9,
  })
  @WholeNumber(0)
  @IsAtMostProperty('attendees')
  registeredPoorAttendees!: number;

  @ApiPropertyOptional({ example: '宁夏电商协会', nullable: true })
  @IsOptional()
  @Text(200)
  trainer?: string | null;
}
