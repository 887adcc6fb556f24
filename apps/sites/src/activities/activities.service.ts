import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { assertWithinRegion, type Principal } from '@ecomlog/auth';
import {
  SiteAssessed,
  TrainingHeld,
  assessmentPeriodStart,
  type EventDefinition,
  type SiteAssessedV1,
  type TrainingHeldV1,
} from '@ecomlog/contracts';
import {
  ProblemException,
  assertNotInFuture,
  decodeCursor,
  toPage,
  type Page,
  type PageQuery,
} from '@ecomlog/http';
import { OutboxWriter } from '@ecomlog/messaging';
import { isUniqueViolation } from '@ecomlog/persistence';
import { AuditTrail } from '@ecomlog/platform';
import { shanghaiDay } from '@ecomlog/kernel';
import { Site } from '../sites/site.entity';
import { SiteAssessment, SiteTraining } from './activity.entity';
import type { RecordAssessmentDto, RecordTrainingDto } from './dto/activity.dto';

/** An assessment as the API shows it and as sites.activities.v1 carries it. */
export type AssessmentView = SiteAssessedV1;
/** A training as the API shows it and as sites.activities.v1 carries it. */
export type TrainingView = TrainingHeldV1;

const DEFAULT_LIMIT = 50;
/** What to do instead of recording an assessment or a training ahead of its day. */
const HAPPENED = 'record it once it has happened';

/**
 * Assessments (动态考核) and trainings of sites. Each is written with its event
 * (sites.activities.v1, key = site id, carrying the site's division) and its audit entry in one
 * transaction; officials act and read only inside their region.
 */
@Injectable()
export class ActivitiesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditTrail,
  ) {}

  async recordAssessment(
    siteId: string,
    dto: RecordAssessmentDto,
    actor: Principal,
  ): Promise<AssessmentView> {
    const today = shanghaiDay();
    const periodStart = assessmentPeriodStart(dto.period) ?? dto.period;
    if (periodStart > today) {
      throw new ProblemException(
        422,
        'assessment-period-in-future',
        'Period not begun',
        `Quarter ${dto.period} begins on ${periodStart}, after today (${today}, Asia/Shanghai); assess a quarter once it has begun.`,
      );
    }
    assertNotInFuture('assessedOn', dto.assessedOn, HAPPENED, today);
    if (dto.assessedOn < periodStart) {
      throw new ProblemException(
        422,
        'assessment-before-period',
        'Assessed before the period',
        `assessedOn ${dto.assessedOn} is before quarter ${dto.period} begins (${periodStart}); an assessment is made during or after the quarter it scores.`,
      );
    }
    try {
      return await this.dataSource.transaction(async (tx) => {
        const site = await this.siteInRegion(tx, siteId, actor);
        const existing = await tx.findOne(SiteAssessment, {
          where: { siteId, period: dto.period },
        });
        if (existing) throw assessmentExists(siteId, dto.period, existing.id);
        const row = tx.create(SiteAssessment, {
          id: randomUUID(),
          siteId,
          divisionCode: site.divisionCode,
          period: dto.period,
          totalScore: String(dto.totalScore),
          dimensions: dto.dimensions.map((dimension) => ({
            name: dimension.name.trim(),
            score: dimension.score,
            weight: dimension.weight ?? null,
          })),
          assessedOn: dto.assessedOn,
          assessor: dto.assessor.trim(),
          recordedAt: new Date(),
        });
        await tx.insert(SiteAssessment, row);
        const view = assessmentView(row);
        await this.published(tx, SiteAssessed, view, 'site.assessed', 'site_assessment');
        return view;
      });
    } catch (error) {
      // Two assessments of one quarter at the same instant: the loser hears which one won.
      if (isUniqueViolation(error, 'site_assessment_site_period')) {
        const winner = await this.dataSource
          .getRepository(SiteAssessment)
          .findOneBy({ siteId, period: dto.period });
        if (winner) throw assessmentExists(siteId, dto.period, winner.id);
      }
      throw error;
    }
  }

  /** Newest quarter first. */
  async listAssessments(
    siteId: string,
    query: PageQuery,
    reader: Principal,
  ): Promise<Page<AssessmentView>> {
    await this.siteInRegion(this.dataSource.manager, siteId, reader);
    const page = await this.newestFirst(SiteAssessment, 'period', siteId, query);
    return { ...page, items: page.items.map(assessmentView) };
  }

  async recordTraining(
    siteId: string,
    dto: RecordTrainingDto,
    actor: Principal,
  ): Promise<TrainingView> {
    assertNotInFuture('heldOn', dto.heldOn, HAPPENED);
    return this.dataSource.transaction(async (tx) => {
      const site = await this.siteInRegion(tx, siteId, actor);
      const row = tx.create(SiteTraining, {
        id: randomUUID(),
        siteId,
        divisionCode: site.divisionCode,
        heldOn: dto.heldOn,
        topic: dto.topic.trim(),
        attendees: dto.attendees,
        registeredPoorAttendees: dto.registeredPoorAttendees,
        trainer: dto.trainer?.trim() ?? null,
        recordedAt: new Date(),
      });
      await tx.insert(SiteTraining, row);
      const view = trainingView(row);
      await this.published(tx, TrainingHeld, view, 'site.training-recorded', 'site_training');
      return view;
    });
  }

  /** A recorded activity's event, and its audit entry, in the transaction that recorded it. */
  private async published<T extends object>(
    tx: EntityManager,
    event: EventDefinition<T>,
    view: T & { id: string },
    action: string,
    entityType: string,
  ): Promise<void> {
    await this.outbox.append(tx, event, [view]);
    await this.audit.record(tx, { action, entityType, entityId: view.id, after: view });
  }

  /** Latest first. */
  async listTrainings(
    siteId: string,
    query: PageQuery,
    reader: Principal,
  ): Promise<Page<TrainingView>> {
    await this.siteInRegion(this.dataSource.manager, siteId, reader);
    const page = await this.newestFirst(SiteTraining, 'heldOn', siteId, query);
    return { ...page, items: page.items.map(trainingView) };
  }

  /**
   * One page of a site's activities of one kind, newest first by `by` (a day or a quarter) and
   * then id; the cursor holds both of the last row.
   */
  private async newestFirst<E extends SiteAssessment | SiteTraining, K extends keyof E & string>(
    entity: new () => E,
    by: K,
    siteId: string,
    query: PageQuery,
  ): Promise<Page<E>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const builder = this.dataSource
      .getRepository(entity)
      .createQueryBuilder('a')
      .where('a.siteId = :siteId', { siteId })
      .orderBy(`a.${by}`, 'DESC')
      .addOrderBy('a.id', 'DESC')
      .take(limit + 1);
    if (query.cursor) {
      const after = decodeCursor<Record<string, string>>(query.cursor, [by, 'id']);
      builder.andWhere(`(a.${by}, a.id) < (:${by}, :id)`, {
        [by]: String(after[by]),
        id: String(after.id),
      });
    }
    return toPage(await builder.getMany(), limit, (row) => ({
      [by]: String(row[by]),
      id: row.id,
    }));
  }

  /**
   * The site, which must exist and lie inside the caller's region. Inside a write transaction the
   * row is key-share locked, so the site cannot vanish before the activity commits.
   */
  private async siteInRegion(
    manager: EntityManager,
    siteId: string,
    principal: Principal,
  ): Promise<Pick<Site, 'id' | 'divisionCode'>> {
    const site = await manager.findOne(Site, {
      select: { id: true, divisionCode: true },
      where: { id: siteId },
      ...(manager.queryRunner?.isTransactionActive
        ? { lock: { mode: 'pessimistic_read' as const } }
        : {}),
    });
    if (!site) {
      throw new ProblemException(
        404,
        'site-not-found',
        'Site not found',
        `No site has id ${siteId}; register it first (POST /v1/sites or POST /v1/sites/imports).`,
      );
    }
    assertWithinRegion(principal, site.divisionCode);
    return site;
  }
}

function assessmentView(row: SiteAssessment): AssessmentView {
  return {
    id: row.id,
    siteId: row.siteId,
    divisionCode: row.divisionCode,
    period: row.period,
    totalScore: Number(row.totalScore),
    dimensions: row.dimensions.map((dimension) => ({
      name: dimension.name,
      score: dimension.score,
      weight: dimension.weight,
    })),
    assessedOn: row.assessedOn,
    assessor: row.assessor,
    recordedAt: row.recordedAt.toISOString(),
  };
}

function trainingView(row: SiteTraining): TrainingView {
  return {
    id: row.id,
    siteId: row.siteId,
    divisionCode: row.divisionCode,
    heldOn: row.heldOn,
    topic: row.topic,
    attendees: row.attendees,
    registeredPoorAttendees: row.registeredPoorAttendees,
    trainer: row.trainer,
    recordedAt: row.recordedAt.toISOString(),
  };
}

function assessmentExists(siteId: string, period: string, existingId: string): ProblemException {
  return new ProblemException(
    409,
    'assessment-exists',
    'Quarter already assessed',
    `Site ${siteId} already has its ${period} assessment (${existingId}); a site is assessed once per quarter.`,
    { existingAssessmentId: existingId },
  );
}
