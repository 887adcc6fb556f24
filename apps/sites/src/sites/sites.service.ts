import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DataSource, In, type EntityManager } from 'typeorm';
import { flattenValidationErrors, type SiteChangedV1, type SiteKind } from '@ecomlog/contracts';
import { isWithinRegion, regionPrefixOf, type Principal } from '@ecomlog/auth';
import { isUniqueViolation } from '@ecomlog/persistence';
import {
  ProblemException,
  ValidationProblemException,
  assertNotInFuture,
  decodeCursor,
  toPage,
  type Page,
} from '@ecomlog/http';
import { KnownDivision } from '../read-models/known-division.entity';
import { KnownEnterprise } from '../read-models/known-enterprise.entity';
import { isCalendarDay, shanghaiDay } from '@ecomlog/kernel';
import { CreateSiteDto } from './dto/create-site.dto';
import type { UpdateSiteDto } from './dto/update-site.dto';
import type { ChangeSiteStatusDto, ListSitesQuery } from './dto/site-queries.dto';
import { Site, SiteStatusEntry } from './site.entity';
import { SITE_KIND_LEVELS, describeLevels, historyProblem } from './site-rules';
import { SiteRowsRejectedError, type SiteRowProblem } from './site-rows';
import {
  SiteState,
  sortCarriers,
  sortServices,
  toSitePayload,
  toSiteView,
  type SiteAggregate,
} from './site-state';
import type { SiteView } from './site-view';

export { SiteRowsRejectedError, type SiteRowProblem } from './site-rows';
export type { SiteView } from './site-view';

/** Titles and HTTP statuses of the problems a single write answers with. */
const PROBLEM_KINDS: Record<string, { status: number; title: string }> = {
  'invalid-field': { status: 400, title: 'Request validation failed' },
  'location-incomplete': { status: 422, title: 'Latitude and longitude go together' },
  'flags-warehouse-only': { status: 422, title: 'Warehouse flags on another kind' },
  'date-in-future': { status: 422, title: 'Date in the future' },
  'outside-region': { status: 403, title: 'Outside your region' },
  'division-not-found': { status: 422, title: 'Division not known' },
  'division-retired': { status: 422, title: 'Division retired' },
  'division-level-mismatch': { status: 422, title: 'Division level does not fit the kind' },
  'operator-not-found': { status: 422, title: 'Operator not a registered enterprise' },
  'operator-not-active': { status: 422, title: 'Operator not active' },
  'carrier-unknown': { status: 422, title: 'Unknown carrier' },
  'carrier-not-active': { status: 422, title: 'Carrier not active' },
  'site-name-taken': { status: 409, title: 'Site already registered' },
};

/** What of a site the read-model rules look at. */
interface SiteFacts {
  kind: SiteKind;
  divisionCode?: string;
  operatorEnterpriseId?: string;
  carriers?: readonly string[];
  name?: string;
}

@Injectable()
export class SitesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly state: SiteState,
  ) {}

  /**
   * Every problem of every row, empty when all rows can be registered: field validation
   * (class-validator, as for a request body), then the rules of the read models — the division
   * exists, is in use and fits the kind; the operator is a registered, active enterprise; every
   * carrier code belongs to an active courier enterprise; the division is inside the actor's
   * region; no site of the same kind and name is already registered in the division.
   */
  async validateRows(rows: CreateSiteDto[], actor?: Principal): Promise<SiteRowProblem[]> {
    return this.checkRows(this.dataSource.manager, rows, actor);
  }

  /**
   * Registers every row in one transaction (one event and one audit entry per site), or none:
   * when any row is bad, throws SiteRowsRejectedError listing the problems of every bad row.
   */
  async createMany(actor: Principal | undefined, rows: CreateSiteDto[]): Promise<SiteView[]> {
    if (rows.length === 0) return [];
    try {
      return await this.dataSource.transaction(async (tx) => {
        const problems = await this.checkRows(tx, rows, actor);
        if (problems.length > 0) throw new SiteRowsRejectedError(problems);
        const now = new Date();
        const today = shanghaiDay(now);
        const aggregates = rows.map((row): SiteAggregate => {
          const site = tx.create(Site, {
            id: randomUUID(),
            name: row.name.trim(),
            kind: row.kind,
            divisionCode: row.divisionCode,
            operatorEnterpriseId: row.operatorEnterpriseId.toLowerCase(),
            carriers: sortCarriers(row.carriers ?? []),
            services: sortServices(row.services ?? []),
            dailyCapacity: row.dailyCapacity ?? null,
            address: row.address?.trim() ?? null,
            latitude: row.latitude ?? null,
            longitude: row.longitude ?? null,
            coldChain: row.coldChain ?? false,
            cloudWarehouse: row.cloudWarehouse ?? false,
            version: 1,
            createdAt: now,
            changedAt: now,
          });
          const entry = tx.create(SiteStatusEntry, {
            siteId: site.id,
            effectiveFrom: row.effectiveFrom ?? today,
            status: row.status ?? 'planned',
            note: blankToNull(row.note),
            recordedAt: now,
            recordedBy: actor?.subject ?? null,
          });
          return { site, history: [entry] };
        });
        for (let i = 0; i < aggregates.length; i += 500) {
          const chunk = aggregates.slice(i, i + 500);
          await tx.insert(
            Site,
            chunk.map((aggregate) => aggregate.site),
          );
          await tx.insert(
            SiteStatusEntry,
            chunk.map((aggregate) => aggregate.history[0]),
          );
        }
        const payloads = await this.state.publish(tx, 'site.created', aggregates);
        return payloads.map((payload) => viewOrThrow(payload, today));
      });
    } catch (error) {
      // Registered by someone else between the check and the insert: report it per row.
      if (isUniqueViolation(error, 'site_name_unique')) {
        const problems = await this.validateRows(rows, actor);
        if (problems.length > 0) throw new SiteRowsRejectedError(problems);
      }
      throw error;
    }
  }

  /** Registers one site; a bad request is answered with the problem(s) of its row. */
  async create(actor: Principal | undefined, dto: CreateSiteDto): Promise<SiteView> {
    try {
      const [view] = await this.createMany(actor, [dto]);
      return view;
    } catch (error) {
      if (error instanceof SiteRowsRejectedError) throw toProblem(error.problems);
      throw error;
    }
  }

  /** One site as of `asOf` (default today); 404 when it was not registered yet on that day. */
  async get(actor: Principal | undefined, id: string, asOf?: string): Promise<SiteView> {
    const day = asOf ?? shanghaiDay();
    const aggregate = await this.state.find(this.dataSource.manager, id);
    assertReadable(actor, aggregate.site);
    const view = toSiteView(toSitePayload(aggregate), day);
    if (!view) {
      const first = aggregate.history[0]?.effectiveFrom ?? '?';
      throw new ProblemException(
        404,
        'site-not-yet-existing',
        'Site not existing yet',
        `Site ${id} did not exist on ${day}: its status history starts on ${first}.`,
        { firstEffectiveFrom: first },
      );
    }
    return view;
  }

  /** Changes details; the kind cannot change and the status changes through changeStatus. */
  async update(actor: Principal | undefined, id: string, dto: UpdateSiteDto): Promise<SiteView> {
    try {
      return await this.dataSource.transaction(async (tx) => {
        const aggregate = await this.state.lock(tx, id);
        const { site } = aggregate;
        assertWritable(actor, site);
        const before = toSitePayload(aggregate);
        const next = {
          name: dto.name?.trim() ?? site.name,
          divisionCode: dto.divisionCode ?? site.divisionCode,
          operatorEnterpriseId:
            dto.operatorEnterpriseId?.toLowerCase() ?? site.operatorEnterpriseId,
          carriers: dto.carriers ? sortCarriers(dto.carriers) : site.carriers,
          services: dto.services ? sortServices(dto.services) : site.services,
          dailyCapacity: dto.dailyCapacity === undefined ? site.dailyCapacity : dto.dailyCapacity,
          address: dto.address === undefined ? site.address : (dto.address?.trim() ?? null),
          latitude: dto.latitude === undefined ? site.latitude : dto.latitude,
          longitude: dto.longitude === undefined ? site.longitude : dto.longitude,
          coldChain: dto.coldChain ?? site.coldChain,
          cloudWarehouse: dto.cloudWarehouse ?? site.cloudWarehouse,
        };
        const problems: SiteRowProblem[] = [];
        problems.push(...shapeProblems(0, { ...next, kind: site.kind }));
        // Only what changes is checked again: an operator or carrier deregistered since stays.
        const added = next.carriers.filter((code) => !site.carriers.includes(code));
        const changes: SiteFacts = {
          kind: site.kind,
          divisionCode: next.divisionCode !== site.divisionCode ? next.divisionCode : undefined,
          operatorEnterpriseId:
            next.operatorEnterpriseId !== site.operatorEnterpriseId
              ? next.operatorEnterpriseId
              : undefined,
          carriers: added,
        };
        for (const problem of await this.readModelProblems(tx, [changes], actor)) {
          const carrier = /^carriers\[(\d+)\]$/.exec(problem.field);
          const field = carrier
            ? `carriers[${(dto.carriers ?? []).indexOf(added[Number(carrier[1])])}]`
            : problem.field;
          problems.push({ ...problem, field });
        }
        if (next.name !== site.name || next.divisionCode !== site.divisionCode) {
          problems.push(...(await this.nameProblems(tx, [{ ...next, kind: site.kind }], site.id)));
        }
        if (problems.length > 0) throw toProblem(problems);
        const changed = (Object.keys(next) as (keyof typeof next)[]).some((key) =>
          Array.isArray(next[key])
            ? (next[key] as string[]).join(',') !== (site[key] as string[]).join(',')
            : next[key] !== site[key],
        );
        if (!changed) return viewOrThrow(before, shanghaiDay());
        Object.assign(site, next);
        return this.commit(tx, 'site.changed', aggregate, before);
      });
    } catch (error) {
      if (isUniqueViolation(error, 'site_name_unique')) throw nameTaken(dto.name ?? '', '');
      throw error;
    }
  }

  /**
   * Records a dated status. A back-dated entry is inserted at its day; the whole history ordered
   * by day must stay a valid sequence of transitions, with one entry per day.
   */
  async changeStatus(
    actor: Principal | undefined,
    id: string,
    dto: ChangeSiteStatusDto,
  ): Promise<SiteView> {
    notInFuture(dto.effectiveFrom, 'effectiveFrom');
    return this.dataSource.transaction(async (tx) => {
      const aggregate = await this.state.lock(tx, id);
      assertWritable(actor, aggregate.site);
      const before = toSitePayload(aggregate);
      const sameDay = aggregate.history.find((entry) => entry.effectiveFrom === dto.effectiveFrom);
      if (sameDay) {
        throw new ProblemException(
          409,
          'status-same-day',
          'Status already recorded that day',
          `Site ${id} already has ${sameDay.status} from ${sameDay.effectiveFrom}; a site has one status per day — choose another day.`,
          { conflicting: [{ status: sameDay.status, effectiveFrom: sameDay.effectiveFrom }] },
        );
      }
      const proposed = [
        ...aggregate.history.map(({ status, effectiveFrom }) => ({ status, effectiveFrom })),
        { status: dto.status, effectiveFrom: dto.effectiveFrom },
      ];
      const problem = historyProblem(proposed);
      if (problem) {
        throw new ProblemException(
          409,
          'impossible-status-transition',
          'Impossible status transition',
          `${dto.status} from ${dto.effectiveFrom} cannot be recorded for site ${id}: ${problem}. Allowed: planned → under_construction | operating | closed; under_construction → operating | closed; operating → suspended | closed; suspended → operating | closed; closed is final.`,
          {
            statusHistory: before.statusHistory.map(({ status, effectiveFrom }) => ({
              status,
              effectiveFrom,
            })),
          },
        );
      }
      const now = new Date();
      const entry = tx.create(SiteStatusEntry, {
        siteId: id,
        effectiveFrom: dto.effectiveFrom,
        status: dto.status,
        note: blankToNull(dto.note),
        recordedAt: now,
        recordedBy: actor?.subject ?? null,
      });
      await tx.insert(SiteStatusEntry, entry);
      aggregate.history = [...aggregate.history, entry].sort((a, b) =>
        a.effectiveFrom.localeCompare(b.effectiveFrom),
      );
      return this.commit(tx, 'site.status-recorded', aggregate, before);
    });
  }

  /**
   * Sites as of `asOf` (default today) inside the caller's region, filtered, ordered by division
   * code then id. Sites without a status entry on or before `asOf` did not exist yet: left out.
   */
  async list(actor: Principal | undefined, query: ListSitesQuery): Promise<Page<SiteView>> {
    const limit = query.limit ?? 50;
    const day = query.asOf ?? shanghaiDay();
    const conditions: string[] = [];
    const parameters: unknown[] = [day];
    const parameter = (value: unknown): string => {
      parameters.push(value);
      return `$${parameters.length}`;
    };
    const region = actor ? regionPrefixOf(actor) : '';
    if (region) conditions.push(`s.division_code LIKE ${parameter(`${region}%`)}`);
    if (query.divisionPrefix) {
      conditions.push(`s.division_code LIKE ${parameter(`${query.divisionPrefix}%`)}`);
    }
    if (query.kind) conditions.push(`s.kind = ${parameter(query.kind)}`);
    if (query.status) conditions.push(`current.status = ${parameter(query.status)}`);
    if (query.operatorId) {
      conditions.push(`s.operator_enterprise_id = ${parameter(query.operatorId.toLowerCase())}`);
    }
    if (query.carrier) conditions.push(`${parameter(query.carrier)} = ANY (s.carriers)`);
    if (query.cursor) {
      const after = decodeCursor<{ divisionCode: string; id: string }>(query.cursor, [
        'divisionCode',
        'id',
      ]);
      conditions.push(
        `(s.division_code, s.id) > (${parameter(after.divisionCode)}::char(12), ${parameter(after.id)}::uuid)`,
      );
    }
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT s.id FROM site s
       JOIN LATERAL (
         SELECT e.status FROM site_status_entry e
         WHERE e.site_id = s.id AND e.effective_from <= $1::date
         ORDER BY e.effective_from DESC LIMIT 1
       ) current ON true
       ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
       ORDER BY s.division_code, s.id
       LIMIT ${parameter(limit + 1)}`,
      parameters,
    );
    const sites = rows.length
      ? await this.dataSource.getRepository(Site).findBy({ id: In(rows.map((row) => row.id)) })
      : [];
    const byId = new Map(sites.map((site) => [site.id, site]));
    const ordered = rows.flatMap((row) => {
      const site = byId.get(row.id);
      return site ? [site] : [];
    });
    const aggregates = await this.state.load(this.dataSource.manager, ordered);
    const views = aggregates.map((aggregate) => viewOrThrow(toSitePayload(aggregate), day));
    return toPage(views, limit, (view) => ({ divisionCode: view.divisionCode, id: view.id }));
  }

  private async commit(
    tx: EntityManager,
    action: 'site.changed' | 'site.status-recorded',
    aggregate: SiteAggregate,
    before: SiteChangedV1,
  ): Promise<SiteView> {
    const now = new Date();
    aggregate.site.version += 1;
    aggregate.site.changedAt = now;
    await tx.save(Site, aggregate.site);
    const [payload] = await this.state.publish(
      tx,
      action,
      [aggregate],
      new Map([[aggregate.site.id, before]]),
    );
    return viewOrThrow(payload, shanghaiDay(now));
  }

  private async checkRows(
    manager: EntityManager,
    rows: CreateSiteDto[],
    actor: Principal | undefined,
  ): Promise<SiteRowProblem[]> {
    const problems: SiteRowProblem[] = [];
    const valid: { index: number; row: CreateSiteDto }[] = [];
    for (const [index, plain] of rows.entries()) {
      const row: CreateSiteDto =
        plain instanceof CreateSiteDto ? plain : plainToInstance(CreateSiteDto, plain as object);
      const errors = await validate(row, {
        whitelist: true,
        forbidNonWhitelisted: true,
        forbidUnknownValues: true,
      });
      const fieldProblems = flattenValidationErrors(errors).map((problem): SiteRowProblem => ({
        index,
        field: problem.path,
        reason: problem.message,
        type: 'invalid-field',
      }));
      const own = [...fieldProblems];
      if (fieldProblems.length === 0) {
        own.push(...shapeProblems(index, row));
        if (row.effectiveFrom && row.effectiveFrom > shanghaiDay()) {
          own.push({
            index,
            field: 'effectiveFrom',
            reason: `effectiveFrom ${row.effectiveFrom} is after today (${shanghaiDay()}, Asia/Shanghai); record a status once it has taken effect.`,
            type: 'date-in-future',
          });
        } else if (row.effectiveFrom && !isCalendarDay(row.effectiveFrom)) {
          own.push({
            index,
            field: 'effectiveFrom',
            reason: `effectiveFrom ${row.effectiveFrom} is not a calendar day.`,
            type: 'invalid-field',
          });
        }
        valid.push({ index, row });
      }
      problems.push(...own);
    }
    const checked = valid.map(({ row }) => ({
      kind: row.kind,
      divisionCode: row.divisionCode,
      operatorEnterpriseId: row.operatorEnterpriseId.toLowerCase(),
      carriers: row.carriers ?? [],
      name: row.name.trim(),
    }));
    const remap = (problem: SiteRowProblem): SiteRowProblem => ({
      ...problem,
      index: valid[problem.index].index,
    });
    problems.push(...(await this.readModelProblems(manager, checked, actor)).map(remap));
    problems.push(...(await this.nameProblems(manager, checked)).map(remap));
    return problems.sort((a, b) => a.index - b.index);
  }

  /** Division, operator, carriers and region of each item (indexes are positions in `items`). */
  private async readModelProblems(
    manager: EntityManager,
    items: SiteFacts[],
    actor: Principal | undefined,
  ): Promise<SiteRowProblem[]> {
    const codes = unique(items.flatMap((item) => (item.divisionCode ? [item.divisionCode] : [])));
    const operatorIds = unique(
      items.flatMap((item) => (item.operatorEnterpriseId ? [item.operatorEnterpriseId] : [])),
    );
    const carrierCodes = unique(items.flatMap((item) => item.carriers ?? []));
    const divisions = codes.length
      ? await manager.find(KnownDivision, { where: { code: In(codes) } })
      : [];
    const operators = operatorIds.length
      ? await manager.find(KnownEnterprise, { where: { id: In(operatorIds) } })
      : [];
    const couriers = carrierCodes.length
      ? await manager.find(KnownEnterprise, { where: { carrierCode: In(carrierCodes) } })
      : [];
    const divisionByCode = new Map(divisions.map((division) => [division.code, division]));
    const operatorById = new Map(operators.map((operator) => [operator.id, operator]));

    const problems: SiteRowProblem[] = [];
    for (const [index, item] of items.entries()) {
      const problem = (field: string, type: string, reason: string): void => {
        problems.push({ index, field, reason, type });
      };
      if (item.divisionCode) {
        const code = item.divisionCode;
        const division = divisionByCode.get(code);
        const levels = SITE_KIND_LEVELS[item.kind];
        if (actor && !isWithinRegion(actor, code)) {
          problem(
            'divisionCode',
            'outside-region',
            `division ${code} is outside your region (${actor.regionPrefix || 'none'}); only officials whose region contains it may register or move sites there.`,
          );
        } else if (!division) {
          problem(
            'divisionCode',
            'division-not-found',
            `division ${code} is not known to the sites service (统计用区划代码 from registry.divisions.v1): check the 12-digit code, or create or import the division in the registry first.`,
          );
        } else if (division.status !== 'active') {
          problem(
            'divisionCode',
            'division-retired',
            `division ${code} ${division.name} is retired${division.replacedBy ? ` (merged into ${division.replacedBy})` : ''}; use a division in use.`,
          );
        } else if (!levels.includes(division.level)) {
          problem(
            'divisionCode',
            'division-level-mismatch',
            `division ${code} ${division.name} is a ${describeLevels([division.level])}, but a ${item.kind} sits at a ${describeLevels(levels)}.`,
          );
        }
      }
      if (item.operatorEnterpriseId) {
        const id = item.operatorEnterpriseId;
        const operator = operatorById.get(id);
        if (!operator) {
          problem(
            'operatorEnterpriseId',
            'operator-not-found',
            `operator ${id} is not a registered enterprise: no enterprise with this id is known from registry.enterprises.v1; register the operator in the registry first.`,
          );
        } else if (operator.status !== 'active') {
          problem(
            'operatorEnterpriseId',
            'operator-not-active',
            `operator ${id} ${operator.name} is ${operator.status}; a site's operator must be an active enterprise.`,
          );
        }
      }
      for (const [position, code] of (item.carriers ?? []).entries()) {
        const candidates = couriers.filter(
          (enterprise) => enterprise.carrierCode === code && enterprise.kinds.includes('courier'),
        );
        if (candidates.length === 0) {
          problem(
            `carriers[${position}]`,
            'carrier-unknown',
            `carrier code ${code} is not the carrier code of any courier enterprise registered in the registry; register the courier (kind courier, carrierCode ${code}) first.`,
          );
        } else if (!candidates.some((enterprise) => enterprise.status === 'active')) {
          problem(
            `carriers[${position}]`,
            'carrier-not-active',
            `carrier code ${code} belongs to ${candidates.map((c) => `${c.name} (${c.status})`).join(', ')}; a site can only serve an active courier enterprise.`,
          );
        }
      }
    }
    return problems;
  }

  /** No two sites of one kind with one name in a division (already registered or in this batch). */
  private async nameProblems(
    manager: EntityManager,
    items: SiteFacts[],
    exceptId?: string,
  ): Promise<SiteRowProblem[]> {
    const named = items.flatMap((item, index) =>
      item.name && item.divisionCode
        ? [{ index, name: item.name, divisionCode: item.divisionCode, kind: item.kind }]
        : [],
    );
    if (named.length === 0) return [];
    const existing: { id: string; name: string; division_code: string; kind: string }[] =
      await manager.query(
        `SELECT s.id, s.name, s.division_code, s.kind FROM site s
         JOIN unnest($1::char(12)[], $2::text[], $3::text[]) AS t(division_code, kind, name)
           ON s.division_code = t.division_code AND s.kind = t.kind AND s.name = t.name
         WHERE s.id <> $4::uuid`,
        [
          named.map((item) => item.divisionCode),
          named.map((item) => item.kind),
          named.map((item) => item.name),
          exceptId ?? '00000000-0000-0000-0000-000000000000',
        ],
      );
    const key = (item: { divisionCode: string; kind: string; name: string }): string =>
      `${item.divisionCode}|${item.kind}|${item.name}`;
    const registered = new Map(
      existing.map((row) => [
        key({ divisionCode: row.division_code, kind: row.kind, name: row.name }),
        row.id,
      ]),
    );
    const firstInBatch = new Map<string, number>();
    const problems: SiteRowProblem[] = [];
    for (const item of named) {
      const id = registered.get(key(item));
      const earlier = firstInBatch.get(key(item));
      if (id) {
        problems.push({
          index: item.index,
          field: 'name',
          reason: nameTaken(item.name, item.divisionCode, item.kind, id).message,
          type: 'site-name-taken',
        });
      } else if (earlier !== undefined) {
        problems.push({
          index: item.index,
          field: 'name',
          reason: `row ${earlier} already registers a ${item.kind} named ${item.name} in division ${item.divisionCode}.`,
          type: 'site-name-taken',
        });
      } else {
        firstInBatch.set(key(item), item.index);
      }
    }
    return problems;
  }
}

/** Rules of one row that need nothing but the row. */
function shapeProblems(
  index: number,
  row: {
    kind: SiteKind;
    latitude?: number | null;
    longitude?: number | null;
    coldChain?: boolean;
    cloudWarehouse?: boolean;
  },
): SiteRowProblem[] {
  const problems: SiteRowProblem[] = [];
  const hasLat = row.latitude !== undefined && row.latitude !== null;
  const hasLng = row.longitude !== undefined && row.longitude !== null;
  if (hasLat !== hasLng) {
    problems.push({
      index,
      field: hasLat ? 'longitude' : 'latitude',
      reason: `${hasLat ? 'longitude' : 'latitude'} is missing: give latitude and longitude together, or neither.`,
      type: 'location-incomplete',
    });
  }
  if (row.kind !== 'warehouse') {
    for (const flag of ['coldChain', 'cloudWarehouse'] as const) {
      if (row[flag]) {
        problems.push({
          index,
          field: flag,
          reason: `${flag} is a warehouse flag; a ${row.kind} cannot have it.`,
          type: 'flags-warehouse-only',
        });
      }
    }
  }
  return problems;
}

/** One problem answers with its own type; several with the first's type and every reason. */
function toProblem(problems: SiteRowProblem[]): ProblemException {
  const fieldOnly = problems.every((problem) => problem.type === 'invalid-field');
  if (fieldOnly) {
    return new ValidationProblemException(
      problems.map((problem) => ({ path: problem.field, message: problem.reason })),
    );
  }
  const first =
    problems.find((problem) => problem.type === 'outside-region') ??
    problems.find((problem) => problem.type !== 'invalid-field') ??
    problems[0];
  const kind = PROBLEM_KINDS[first.type ?? ''] ?? { status: 422, title: 'Site rejected' };
  return new ProblemException(
    kind.status,
    first.type ?? 'site-rejected',
    kind.title,
    problems.map((problem) => `${problem.field}: ${problem.reason}`).join('; '),
    { errors: problems.map((problem) => ({ path: problem.field, message: problem.reason })) },
  );
}

function assertReadable(actor: Principal | undefined, site: Site): void {
  if (!actor || isWithinRegion(actor, site.divisionCode)) return;
  throw new ProblemException(
    403,
    'outside-region',
    'Outside your region',
    `Site ${site.id} is in division ${site.divisionCode}, outside your region (${actor.regionPrefix || 'none'}).`,
  );
}

function assertWritable(actor: Principal | undefined, site: Site): void {
  if (!actor || isWithinRegion(actor, site.divisionCode)) return;
  throw new ProblemException(
    403,
    'outside-region',
    'Outside your region',
    `Site ${site.id} is in division ${site.divisionCode}, outside your region (${actor.regionPrefix || 'none'}); only officials whose region contains it may change it.`,
  );
}

function viewOrThrow(payload: SiteChangedV1, day: string): SiteView {
  const view = toSiteView(payload, day);
  if (!view) throw new Error(`Site ${payload.id} has no status on ${day}`);
  return view;
}

function notInFuture(day: string, field: string): void {
  assertNotInFuture(field, day, 'record a status once it has taken effect');
  if (!isCalendarDay(day)) {
    throw new ProblemException(
      400,
      'invalid-date',
      'Not a calendar day',
      `${field} ${day} is not a calendar day.`,
    );
  }
}

function nameTaken(
  name: string,
  divisionCode: string,
  kind?: string,
  existingId?: string,
): ProblemException {
  const what = kind ? `a ${kind}` : 'a site of this kind';
  return new ProblemException(
    409,
    'site-name-taken',
    'Site already registered',
    `${what} named ${name} is already registered${divisionCode ? ` in division ${divisionCode}` : ''}${existingId ? ` as site ${existingId}; change it with PATCH /v1/sites/${existingId}` : ''}.`,
  );
}

function blankToNull(text: string | null | undefined): string | null {
  const trimmed = text?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
