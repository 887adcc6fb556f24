import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  SiteAssessed,
  TrainingHeld,
  validatePayload,
  type SiteAssessedV1,
  type TrainingHeldV1,
} from '@ecomlog/contracts';
import { outboxRowsOf, uniqueSuffix } from '@ecomlog/testing';
import { problem, startSitesApp, type HttpAgent, type SitesTestApp } from './sites-harness';

// Division codes under a province prefix no real division uses (90–99).
const county = `9${Math.floor(Math.random() * 10)}0101`;
const VILLAGE = `${county}101201`;
const OTHER_COUNTY_VILLAGE = `${county.slice(0, 4)}02101201`;

describe('site assessments and trainings on the real database, Kafka and Redis', () => {
  let t: SitesTestApp;
  let dataSource: DataSource;
  const postalSubject = `postal-${uniqueSuffix()}`;
  /** A postal-bureau official of the county. */
  let postal: HttpAgent;
  /** A commerce official of another county. */
  let outsider: HttpAgent;
  /** A viewer of the county: reads only. */
  let viewer: HttpAgent;

  async function site(divisionCode = VILLAGE): Promise<string> {
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO site (id, name, kind, division_code, operator_enterprise_id, version, created_at, changed_at)
       VALUES ($1, $2, 'village_service_point', $3, $4, 1, now(), now())`,
      [id, `测试村电商服务点 ${id.slice(0, 8)}`, divisionCode, randomUUID()],
    );
    await dataSource.query(
      `INSERT INTO site_status_entry (site_id, effective_from, status, recorded_at)
       VALUES ($1, '2023-06-18', 'operating', now())`,
      [id],
    );
    return id;
  }

  function assessment(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      period: '2024Q3',
      totalScore: 86.5,
      dimensions: [
        { name: '服务功能', score: 90, weight: 40 },
        { name: '运营管理', score: 85, weight: 30 },
        { name: '快递收发量', score: 83.33 },
      ],
      assessedOn: '2024-10-12',
      assessor: '测试县商务局考核组',
      ...overrides,
    };
  }

  function training(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      heldOn: '2024-09-20',
      topic: '农村电商创业培训班：短视频直播带货实操',
      attendees: 42,
      registeredPoorAttendees: 9,
      trainer: '宁夏电商协会',
      ...overrides,
    };
  }

  const outbox = (key: string) => outboxRowsOf<Record<string, unknown>>(dataSource, key);

  async function audit(
    entityId: string,
  ): Promise<{ actor_subject: string; action: string; entity_type: string; after: unknown }[]> {
    return dataSource.query(
      `SELECT actor_subject, action, entity_type, after FROM audit_entry WHERE entity_id = $1 ORDER BY id`,
      [entityId],
    );
  }

  /** The site's one outbox row: an activity event of this type carrying what was recorded. */
  async function onlyActivityEvent(siteId: string, eventType: string, recorded: object) {
    const rows = await outbox(siteId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      topic: 'sites.activities.v1',
      message_key: siteId,
      event_type: eventType,
      payload: recorded,
    });
    return rows[0];
  }

  /** The audit log holds one entry for the recorded activity: the postal official's. */
  async function expectAuditedOnce(recorded: { id: string }, action: string, entityType: string) {
    expect(await audit(recorded.id)).toEqual([
      { actor_subject: postalSubject, action, entity_type: entityType, after: recorded },
    ]);
  }

  beforeAll(async () => {
    t = await startSitesApp('activities');
    dataSource = t.dataSource;
    postal = t.as(['postal'], county, postalSubject);
    outsider = t.as(['commerce'], `${county.slice(0, 4)}02`);
    viewer = t.as(['viewer'], county);
  });

  afterAll(async () => {
    await t?.close();
  });

  /** A recorded activity as answered: a new id, the site, its division (VILLAGE), `fields` and when. */
  const recordedFor = (siteId: string, fields: Record<string, unknown>) => ({
    id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    siteId,
    divisionCode: VILLAGE,
    ...fields,
    recordedAt: expect.any(String),
  });

  it('records an assessment with its event (carrying the division) and audit entry', async () => {
    const siteId = await site();
    const response = await postal
      .post(`/v1/sites/${siteId}/assessments`)
      .set('x-correlation-id', `it-${uniqueSuffix()}`)
      .send(assessment());
    expect(response.status).toBe(201);
    const recorded = response.body as SiteAssessedV1;
    expect(recorded).toEqual(
      recordedFor(siteId, {
        period: '2024Q3',
        totalScore: 86.5,
        dimensions: [
          { name: '服务功能', score: 90, weight: 40 },
          { name: '运营管理', score: 85, weight: 30 },
          { name: '快递收发量', score: 83.33, weight: null },
        ],
        assessedOn: '2024-10-12',
        assessor: '测试县商务局考核组',
      }),
    );

    const event = await onlyActivityEvent(siteId, 'cn.ecomlog.sites.site-assessed.v1', recorded);
    expect(event.headers).toMatchObject({
      ce_type: SiteAssessed.type,
      ce_subject: `sites/${siteId}/assessments/${recorded.id}`,
      ce_correlationid: response.headers['x-correlation-id'],
    });
    expect(validatePayload(SiteAssessed.payload, event.payload, 'consume').ok).toBe(true);

    await expectAuditedOnce(recorded, 'site.assessed', 'site_assessment');

    const list = await viewer.get(`/v1/sites/${siteId}/assessments`).expect(200);
    expect(list.body).toEqual({ items: [recorded] });
  });

  it('keeps scores within 0–100 with at most two decimals, and names the failing field', async () => {
    const siteId = await site();
    // 400 for what the OpenAPI document states; 422 for rules it cannot (distinct names, a day
    // that does not exist).
    const cases: [Record<string, unknown>, string, number][] = [
      [{ totalScore: 100.5 }, 'totalScore', 400],
      [{ totalScore: -1 }, 'totalScore', 400],
      [{ totalScore: 80.125 }, 'totalScore', 400],
      [{ totalScore: '90' }, 'totalScore', 400],
      [{ dimensions: [{ name: '服务功能', score: 101 }] }, 'dimensions[0].score', 400],
      [{ dimensions: [{ name: '服务功能', score: 90, weight: 0 }] }, 'dimensions[0].weight', 400],
      [{ dimensions: [] }, 'dimensions', 400],
      [
        {
          dimensions: [
            { name: '服务功能', score: 90 },
            { name: '服务功能', score: 80 },
          ],
        },
        'dimensions',
        422,
      ],
      [{ period: '2024-08' }, 'period', 400],
      [{ period: '2024Q5' }, 'period', 400],
      [{ assessedOn: '2024-02-30' }, 'assessedOn', 422],
    ];
    for (const [overrides, path, status] of cases) {
      const body = await problem(
        postal.post(`/v1/sites/${siteId}/assessments`).send(assessment(overrides)),
        status,
      );
      expect(body.errors?.map((error) => error.path)).toContain(path);
    }
    // The edges themselves are fine.
    await postal
      .post(`/v1/sites/${siteId}/assessments`)
      .send(assessment({ period: '2024Q1', totalScore: 0, assessedOn: '2024-03-31' }))
      .expect(201);
    await postal
      .post(`/v1/sites/${siteId}/assessments`)
      .send(
        assessment({
          period: '2024Q2',
          totalScore: 100,
          dimensions: [{ name: '综合', score: 100, weight: 100 }],
        }),
      )
      .expect(201);
    expect(await outbox(siteId)).toHaveLength(2);
  });

  it('assesses a quarter once, not before it begins, and not in the future', async () => {
    const siteId = await site();
    await postal.post(`/v1/sites/${siteId}/assessments`).send(assessment()).expect(201);
    const again = await problem(
      postal.post(`/v1/sites/${siteId}/assessments`).send(assessment({ totalScore: 90 })),
      409,
    );
    expect(again.type).toMatch(/assessment-exists$/);
    expect(again.detail).toContain('2024Q3');

    const early = await problem(
      postal
        .post(`/v1/sites/${siteId}/assessments`)
        .send(assessment({ period: '2024Q4', assessedOn: '2024-09-30' })),
      422,
    );
    expect(early.detail).toContain('2024-10-01');

    const nextYear = new Date().getUTCFullYear() + 1;
    const future = await problem(
      postal
        .post(`/v1/sites/${siteId}/assessments`)
        .send(assessment({ period: `${nextYear}Q1`, assessedOn: `${nextYear}-01-15` })),
      422,
    );
    expect(future.type).toMatch(/assessment-period-in-future$/);
    expect(await outbox(siteId)).toHaveLength(1);
  });

  it('records a training with registered-poor attendees never more than the attendees', async () => {
    const siteId = await site();
    const tooMany = await problem(
      postal
        .post(`/v1/sites/${siteId}/trainings`)
        .send(training({ attendees: 10, registeredPoorAttendees: 11 })),
      422,
    );
    expect(tooMany.errors).toEqual([
      {
        path: 'registeredPoorAttendees',
        message: 'registeredPoorAttendees must not be more than attendees (10)',
      },
    ]);
    for (const [overrides, path] of [
      [{ attendees: 0, registeredPoorAttendees: 0 }, 'attendees'],
      [{ registeredPoorAttendees: -1 }, 'registeredPoorAttendees'],
      [{ attendees: 2.5 }, 'attendees'],
      [{ topic: '' }, 'topic'],
      [{ heldOn: '20-09-2024' }, 'heldOn'],
    ] as const) {
      const body = await problem(
        postal.post(`/v1/sites/${siteId}/trainings`).send(training(overrides)),
        400,
      );
      expect(body.errors?.map((error) => error.path)).toContain(path);
    }
    await problem(
      postal.post(`/v1/sites/${siteId}/trainings`).send(training({ heldOn: '2999-01-01' })),
      422,
    );
    expect(await outbox(siteId)).toHaveLength(0);

    const all = await postal
      .post(`/v1/sites/${siteId}/trainings`)
      .send(training({ attendees: 12, registeredPoorAttendees: 12, trainer: undefined }))
      .expect(201);
    const recorded = all.body as TrainingHeldV1;
    expect(recorded).toEqual(
      recordedFor(siteId, {
        heldOn: '2024-09-20',
        topic: '农村电商创业培训班：短视频直播带货实操',
        attendees: 12,
        registeredPoorAttendees: 12,
        trainer: null,
      }),
    );
    const event = await onlyActivityEvent(siteId, TrainingHeld.type, recorded);
    expect(event.payload.divisionCode).toBe(VILLAGE);
    await expectAuditedOnce(recorded, 'site.training-recorded', 'site_training');
  });

  it('lists trainings latest first, a page at a time', async () => {
    const siteId = await site();
    for (const heldOn of ['2024-03-01', '2024-05-01', '2024-04-01']) {
      await postal.post(`/v1/sites/${siteId}/trainings`).send(training({ heldOn })).expect(201);
    }
    const first = await viewer.get(`/v1/sites/${siteId}/trainings?limit=2`).expect(200);
    const firstPage = first.body as { items: TrainingHeldV1[]; nextCursor?: string };
    expect(firstPage.items.map((t) => t.heldOn)).toEqual(['2024-05-01', '2024-04-01']);
    expect(firstPage.nextCursor).toBeDefined();
    const second = await viewer
      .get(`/v1/sites/${siteId}/trainings`)
      .query({ limit: 2, cursor: firstPage.nextCursor })
      .expect(200);
    expect((second.body as { items: TrainingHeldV1[] }).items.map((t) => t.heldOn)).toEqual([
      '2024-03-01',
    ]);
    expect((second.body as { nextCursor?: string }).nextCursor).toBeUndefined();
  });

  it('keeps officials to their region and writes to commerce and postal', async () => {
    const inside = await site();
    const elsewhere = await site(OTHER_COUNTY_VILLAGE);

    const write = await problem(
      outsider.post(`/v1/sites/${inside}/trainings`).send(training()),
      403,
    );
    expect(write.type).toMatch(/outside-region$/);
    await problem(outsider.get(`/v1/sites/${inside}/assessments`), 403);
    await problem(outsider.get(`/v1/sites/${inside}/trainings`), 403);
    await problem(postal.post(`/v1/sites/${elsewhere}/assessments`).send(assessment()), 403);
    await outsider.post(`/v1/sites/${elsewhere}/assessments`).send(assessment()).expect(201);

    const role = await problem(viewer.post(`/v1/sites/${inside}/trainings`).send(training()), 403);
    expect(role.detail).toContain('commerce, postal');
    expect(await outbox(inside)).toHaveLength(0);

    const missing = await problem(
      postal.post(`/v1/sites/${randomUUID()}/trainings`).send(training()),
      404,
    );
    expect(missing.type).toMatch(/site-not-found$/);
    await problem(postal.get('/v1/sites/not-a-uuid/trainings'), 400);
  });
});
