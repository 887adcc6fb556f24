import {
  IsISO8601,
  IsNumber,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateBy,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { defineEvent, type EventDefinition } from '../event-definition';
import {
  CalendarDay,
  DivisionCode,
  NestedArray,
  OptionalText,
  Text,
  WholeNumber,
  stacked,
} from '../field-rules';
import { TOPICS } from '../topics';

/** 动态考核 period: a calendar quarter, `2024Q3` (Asia/Shanghai). */
export const ASSESSMENT_PERIOD_PATTERN = /^(\d{4})Q([1-4])$/;
export const ASSESSMENT_PERIOD_MESSAGE =
  'period must be a calendar quarter written YYYYQn, e.g. 2024Q3 (July–September 2024)';
/** Scores are 0–100 with at most two decimals (stored as numeric(5,2)). */
export const ASSESSMENT_SCORE_RANGE = { min: 0, max: 100, decimals: 2 } as const;
export const ASSESSMENT_MAX_DIMENSIONS = 30;

const SCORE_NUMBER = { allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 };
const SCORE_MESSAGE = {
  message: '$property must be a number from 0 to 100 with at most two decimals',
};

/** The first day of a `YYYYQn` period, or null when the text is not one. */
export function assessmentPeriodStart(period: string): string | null {
  const match = ASSESSMENT_PERIOD_PATTERN.exec(period);
  if (!match) return null;
  const month = (Number(match[2]) - 1) * 3 + 1;
  return `${match[1]}-${String(month).padStart(2, '0')}-01`;
}

/** The property must not exceed the (numeric) property named `other` of the same object. */
export function IsAtMostProperty(other: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isAtMostProperty',
      constraints: [other],
      validator: {
        validate: (value: unknown, args?: ValidationArguments): boolean => {
          const limit = (args?.object as Record<string, unknown> | undefined)?.[other];
          // Other rules report a missing or non-numeric value; this one only compares numbers.
          return typeof value !== 'number' || typeof limit !== 'number' || value <= limit;
        },
        defaultMessage: (args?: ValidationArguments): string => {
          const limit = (args?.object as Record<string, unknown> | undefined)?.[other];
          return `$property must not be more than ${other} (${String(limit)})`;
        },
      },
    },
    options,
  );
}

/** A score of 0–100 with at most two decimals (an assessment's total or a dimension's). */
export function AssessmentScore(): PropertyDecorator {
  return stacked(
    IsNumber(SCORE_NUMBER, SCORE_MESSAGE),
    Min(ASSESSMENT_SCORE_RANGE.min, SCORE_MESSAGE),
    Max(ASSESSMENT_SCORE_RANGE.max, SCORE_MESSAGE),
  );
}

/** A dimension's share of the total, in percent: more than 0, at most 100, two decimals at most. */
export function AssessmentWeight(): PropertyDecorator {
  return stacked(
    IsNumber(SCORE_NUMBER, { message: 'weight must be a number with at most two decimals' }),
    Min(0.01, { message: 'weight must be more than 0 (a share of the total, in percent)' }),
    Max(100, { message: 'weight must be at most 100 (a share of the total, in percent)' }),
  );
}

/** One named dimension of an assessment (e.g. 服务功能, 运营管理, 快递收发量). */
export class SiteAssessmentDimensionV1 {
  @Text(100)
  name!: string;

  @AssessmentScore()
  score!: number;

  /** Share of the dimension in the total, in percent (0 < weight ≤ 100); null when unweighted. */
  @IsOptional()
  @AssessmentWeight()
  weight!: number | null;
}

/**
 * What every activity recorded at a site carries besides its own fields: its id, the site, the
 * site's division when it was recorded (so roll-ups such as `training_attendees` need no site
 * lookup) and when it was recorded.
 */
export abstract class SiteActivityV1 {
  @IsUUID()
  id!: string;

  @IsUUID()
  siteId!: string;

  @DivisionCode()
  divisionCode!: string;

  @IsISO8601({ strict: true })
  recordedAt!: string;
}

/**
 * A site activity event's key and subject: keyed by the site, so one site's activities keep
 * their order, with `sites/<siteId>/<collection>/<id>` as the subject.
 */
function keyedBySite(collection: string): Pick<EventDefinition<SiteActivityV1>, 'key' | 'subject'> {
  return {
    key: (activity) => activity.siteId,
    subject: (activity) => `sites/${activity.siteId}/${collection}/${activity.id}`,
  };
}

/** 动态考核: one periodic assessment of a site, scored 0–100 overall and per dimension. */
export class SiteAssessedV1 extends SiteActivityV1 {
  @Matches(ASSESSMENT_PERIOD_PATTERN, { message: ASSESSMENT_PERIOD_MESSAGE })
  period!: string;

  @AssessmentScore()
  totalScore!: number;

  @NestedArray(() => SiteAssessmentDimensionV1, { minSize: 1, maxSize: ASSESSMENT_MAX_DIMENSIONS })
  dimensions!: SiteAssessmentDimensionV1[];

  @CalendarDay()
  assessedOn!: string;

  /** Who assessed: a person or a body, e.g. 县商务局考核组. */
  @Text(200)
  assessor!: string;
}

/** 培训: a training held at a site, with how many attended and how many were 建档立卡贫困户. */
export class TrainingHeldV1 extends SiteActivityV1 {
  @CalendarDay()
  heldOn!: string;

  @Text(200)
  topic!: string;

  @WholeNumber(1)
  attendees!: number;

  /** Of the attendees, those from registered poor households (建档立卡贫困户). */
  @WholeNumber(0)
  @IsAtMostProperty('attendees')
  registeredPoorAttendees!: number;

  @OptionalText(200)
  trainer!: string | null;
}

export const SiteAssessed = defineEvent<SiteAssessedV1>({
  type: 'cn.ecomlog.sites.site-assessed.v1',
  topic: TOPICS.sitesActivities,
  payload: SiteAssessedV1,
  ...keyedBySite('assessments'),
  summary: 'A periodic assessment (动态考核) of a site was recorded: total and dimension scores.',
  example: {
    id: 'd5b0c8e2-6f1a-4b3c-9e7d-2a4f6c8e0b13',
    siteId: '7c1e2a90-3b5d-4f8e-a6c2-9d0b1e4f7a35',
    divisionCode: '640521100201',
    period: '2024Q3',
    totalScore: 86.5,
    dimensions: [
      { name: '服务功能', score: 90, weight: 40 },
      { name: '运营管理', score: 85, weight: 30 },
      { name: '快递收发量', score: 83.33, weight: 30 },
    ],
    assessedOn: '2024-10-12',
    assessor: '中宁县商务局考核组',
    recordedAt: '2024-10-12T16:20:00+08:00',
  },
});

export const TrainingHeld = defineEvent<TrainingHeldV1>({
  type: 'cn.ecomlog.sites.training-held.v1',
  topic: TOPICS.sitesActivities,
  payload: TrainingHeldV1,
  ...keyedBySite('trainings'),
  summary:
    'A training was held at a site: date, topic, attendees and registered-poor attendees (建档立卡贫困户).',
  example: {
    id: '3f9a1c7e-2b4d-4e6f-8a0c-5d7e9f1b3a24',
    siteId: '7c1e2a90-3b5d-4f8e-a6c2-9d0b1e4f7a35',
    divisionCode: '640521100201',
    heldOn: '2024-09-20',
    topic: '农村电商创业培训班：短视频直播带货实操',
    attendees: 42,
    registeredPoorAttendees: 9,
    trainer: '宁夏电商协会',
    recordedAt: '2024-09-20T18:05:00+08:00',
  },
});
