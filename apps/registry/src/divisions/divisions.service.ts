import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  And,
  DataSource,
  ILike,
  In,
  LessThanOrEqual,
  MoreThan,
  MoreThanOrEqual,
  type EntityManager,
  type FindOptionsWhere,
} from 'typeorm';
import {
  DIVISION_LEVELS,
  DivisionChanged,
  type DivisionLevel,
  type DivisionStatus,
} from '@ecomlog/contracts';
import { ProblemException, toPage, decodeCursor, invalidCursor, type Page } from '@ecomlog/http';
import {
  ancestorsOfCode,
  codeOfPrefix,
  isAdministrativeVillage,
  isDivisionCode,
  lastCodeOfPrefix,
  levelOfCode,
  parentOfCode,
  prefixOfCode,
} from '@ecomlog/kernel';
import { OutboxWriter } from '@ecomlog/messaging';
import { AuditTrail } from '@ecomlog/platform';
import { Division } from './division.entity';
import { DivisionHistory, type DivisionChange } from './division-history.entity';
import { assertActorRegion, type DivisionActor } from './division-actor';
import { appendHistory, toHistoryView, type DivisionHistoryView } from './division-history';
import { toView, type DivisionView } from './division-view';
import type { PutDivisionDto } from './dto/put-division.dto';
import type { DescendantsQuery, SearchDivisionsQuery } from './dto/division-queries.dto';
import type { MergeDivisionDto, RetireDivisionDto } from './dto/amend-division.dto';

export type { DivisionView } from './division-view';

interface Amendment {
  change: DivisionChange;
  actor?: DivisionActor;
  note?: string;
  effectiveOn?: string;
}

@Injectable()
export class DivisionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditTrail,
  ) {}

  /** Creates or amends a division; every real change bumps its version and is published. */
  async put(
    code: string,
    change: PutDivisionDto,
    actor?: DivisionActor,
  ): Promise<{ division: DivisionView; created: boolean }> {
    assertActorRegion(actor, code);
    if (change.replacedBy != null) assertActorRegion(actor, change.replacedBy);
    return this.dataSource.transaction(async (tx) => {
      const existing = await tx.findOne(Division, {
        where: { code },
        lock: { mode: 'pessimistic_write' },
      });
      const parentCode = parentOfCode(code);
      if (parentCode && !(await tx.exists(Division, { where: { code: parentCode } }))) {
        throw new ProblemException(
          422,
          'parent-division-missing',
          'Parent division missing',
          `Division ${code} needs its parent ${parentCode} to exist first.`,
        );
      }
      if (change.replacedBy != null)
        await this.requireExisting(tx, change.replacedBy, 'replacedBy');

      const next: Division = tx.create(Division, {
        code,
        name: change.name,
        level: levelOfCode(code),
        parentCode,
        administrativeVillage: isAdministrativeVillage(code),
        status: change.status ?? existing?.status ?? 'active',
        replacedBy: change.replacedBy ?? existing?.replacedBy ?? null,
        version: (existing?.version ?? 0) + 1,
        changedAt: new Date(),
        amended: true,
      });
      if (existing && sameContent(existing, next))
        return { division: toView(existing), created: false };

      await this.write(tx, existing, next, { change: existing ? 'amended' : 'created', actor });
      return { division: toView(next), created: existing === null };
    });
  }

  /** PATCH: a new name for an active division; the same name changes nothing. */
  async rename(code: string, name: string, actor?: DivisionActor): Promise<DivisionView> {
    return this.dataSource.transaction(async (tx) => {
      const current = await this.lockForAmendment(tx, code, actor, 'renamed');
      if (current.name === name) return toView(current);
      const next = successor(current, { name });
      await this.write(tx, current, next, { change: 'renamed', actor });
      return toView(next);
    });
  }

  /** Retires an active division that has no active children; it stays queryable as retired. */
  async retire(
    code: string,
    details: RetireDivisionDto,
    actor?: DivisionActor,
  ): Promise<DivisionView> {
    return this.dataSource.transaction(async (tx) => {
      const current = await this.lockForAmendment(tx, code, actor, 'retired');
      await this.requireNoActiveChildren(tx, current, 'retired');
      const next = successor(current, { status: 'retired', replacedBy: null });
      await this.write(tx, current, next, { change: 'retired', actor, ...details });
      return toView(next);
    });
  }

  /**
   * Merges an active division into another active one of the same level (which must not be the
   * division itself or lie under it): the division is retired with `replacedBy` set.
   */
  async merge(code: string, merge: MergeDivisionDto, actor?: DivisionActor): Promise<DivisionView> {
    const { replacedBy, ...details } = merge;
    if (replacedBy === code) {
      throw new ProblemException(
        422,
        'merge-into-itself',
        'Cannot merge a division into itself',
        `replacedBy: division ${code} cannot be merged into itself; name the division that takes it over.`,
      );
    }
    assertActorRegion(actor, replacedBy);
    return this.dataSource.transaction(async (tx) => {
      // Both rows are locked, in code order so two crossing merges cannot deadlock.
      await tx.find(Division, {
        where: { code: In([code, replacedBy]) },
        order: { code: 'ASC' },
        lock: { mode: 'pessimistic_write' },
      });
      const current = await this.lockForAmendment(tx, code, actor, 'merged');
      const target = await tx.findOneBy(Division, { code: replacedBy });
      if (!target) {
        throw new ProblemException(
          422,
          'merge-target-not-found',
          'Merge target missing',
          `replacedBy: no division with code ${replacedBy}.`,
        );
      }
      if (replacedBy.startsWith(prefixOfCode(code))) {
        throw new ProblemException(
          422,
          'merge-into-descendant',
          'Cannot merge into a descendant',
          `replacedBy: ${replacedBy} (${target.name}) lies under ${code} (${current.name}); a division cannot be merged into its own descendant.`,
        );
      }
      if (target.level !== current.level) {
        throw new ProblemException(
          422,
          'merge-level-mismatch',
          'Merge target at another level',
          `replacedBy: ${replacedBy} (${target.name}) is a ${target.level}, but ${code} (${current.name}) is a ${current.level}; merge into a ${current.level}.`,
        );
      }
      if (target.status !== 'active') {
        throw new ProblemException(
          422,
          'merge-target-retired',
          'Merge target retired',
          `replacedBy: ${replacedBy} (${target.name}) is retired` +
            (target.replacedBy
              ? `; it was merged into ${target.replacedBy}: merge into that one instead.`
              : '.'),
        );
      }
      await this.requireNoActiveChildren(tx, current, 'merged');
      const next = successor(current, { status: 'retired', replacedBy });
      await this.write(tx, current, next, { change: 'merged', actor, ...details });
      return toView(next);
    });
  }

  async get(code: string): Promise<DivisionView> {
    return toView(await this.find(code));
  }

  async children(code: string, limit: number, cursor?: string): Promise<Page<DivisionView>> {
    const after = cursor ? cursorCode(cursor) : '';
    const rows = await this.dataSource.getRepository(Division).find({
      where: { parentCode: code, code: MoreThan(after) },
      order: { code: 'ASC' },
      take: limit + 1,
    });
    return viewPage(rows, limit);
  }

  /** The division's ancestors, province first, its parent last. */
  async ancestors(code: string): Promise<{ items: DivisionView[] }> {
    await this.find(code);
    const codes = ancestorsOfCode(code);
    if (codes.length === 0) return { items: [] };
    const rows = await this.dataSource.getRepository(Division).find({
      where: { code: In(codes) },
      order: { code: 'ASC' },
    });
    return { items: rows.map(toView) };
  }

  /** Every division under this one (optionally at one level), by code: a range scan on the key. */
  async descendants(
    code: string,
    query: DescendantsQuery,
    limit: number,
    cursor?: string,
  ): Promise<Page<DivisionView>> {
    const division = await this.find(code);
    if (
      query.level !== undefined &&
      DIVISION_LEVELS.indexOf(query.level) <= DIVISION_LEVELS.indexOf(division.level)
    ) {
      throw new ProblemException(
        422,
        'invalid-descendant-level',
        'No descendants at that level',
        `level: ${code} (${division.name}) is a ${division.level}; its descendants are at levels ${deeperLevels(division.level)}.`,
      );
    }
    const prefix = prefixOfCode(code);
    const after = cursor ? maxCode(cursorCode(cursor), code) : code;
    const where: FindOptionsWhere<Division> = {
      code: And(MoreThan(after), LessThanOrEqual(lastCodeOfPrefix(prefix))),
    };
    if (query.administrativeOnly === true) where.administrativeVillage = true;
    return this.pageByCode(where, query, limit);
  }

  /** Divisions whose name contains a fragment, optionally under a code prefix, by code. */
  async search(
    query: SearchDivisionsQuery,
    limit: number,
    cursor?: string,
  ): Promise<Page<DivisionView>> {
    const under = query.under ?? '';
    const after = cursor ? cursorCode(cursor) : '';
    const where: FindOptionsWhere<Division> = {
      code: And(
        MoreThan(after),
        MoreThanOrEqual(codeOfPrefix(under)),
        LessThanOrEqual(lastCodeOfPrefix(under)),
      ),
    };
    if (query.q !== undefined) where.name = ILike(`%${escapeLike(query.q)}%`);
    return this.pageByCode(where, query, limit);
  }

  /** One page of divisions by code: those `where` selects, of a level and status when given. */
  private async pageByCode(
    where: FindOptionsWhere<Division>,
    filter: { level?: DivisionLevel; status?: DivisionStatus },
    limit: number,
  ): Promise<Page<DivisionView>> {
    if (filter.level !== undefined) where.level = filter.level;
    if (filter.status !== undefined) where.status = filter.status;
    const rows = await this.dataSource.getRepository(Division).find({
      where,
      order: { code: 'ASC' },
      take: limit + 1,
    });
    return viewPage(rows, limit);
  }

  /** Every version of a division, oldest first. */
  async history(code: string, limit: number, cursor?: string): Promise<Page<DivisionHistoryView>> {
    await this.find(code);
    const after = cursor ? cursorVersion(cursor) : 0;
    const rows = await this.dataSource.getRepository(DivisionHistory).find({
      where: { code, version: MoreThan(after) },
      order: { version: 'ASC' },
      take: limit + 1,
    });
    const page = toPage(rows, limit, (row) => ({ version: row.version }));
    return { ...page, items: page.items.map(toHistoryView) };
  }

  private async find(code: string): Promise<Division> {
    const division = await this.dataSource.getRepository(Division).findOneBy({ code });
    if (!division) throw notFound(code);
    return division;
  }

  /** Locks an active division in the actor's region for a change, or says why it cannot change. */
  private async lockForAmendment(
    tx: EntityManager,
    code: string,
    actor: DivisionActor | undefined,
    change: 'renamed' | 'retired' | 'merged',
  ): Promise<Division> {
    const division = await tx.findOne(Division, {
      where: { code },
      lock: { mode: 'pessimistic_write' },
    });
    if (!division) throw notFound(code);
    assertActorRegion(actor, code);
    if (division.status !== 'active') {
      throw new ProblemException(
        409,
        'division-retired',
        'Division retired',
        `Division ${code} (${division.name}) is already retired` +
          (division.replacedBy ? ` (merged into ${division.replacedBy})` : '') +
          `, so it cannot be ${change}; its history keeps every earlier version.`,
        { code },
      );
    }
    return division;
  }

  private async requireNoActiveChildren(
    tx: EntityManager,
    division: Division,
    change: 'retired' | 'merged',
  ): Promise<void> {
    const active = await tx.count(Division, {
      where: { parentCode: division.code, status: 'active' },
    });
    if (active > 0) {
      throw new ProblemException(
        409,
        'division-has-active-children',
        'Division has active children',
        `Division ${division.code} (${division.name}) still has ${active} active ` +
          `${active === 1 ? 'child' : 'children'}; merge or retire them first, so none is left ` +
          `under a division that is ${change}.`,
        { code: division.code, activeChildren: active },
      );
    }
  }

  /**
   * Stores a new version with its history row, DivisionChanged event and (for a person's change)
   * audit entry, in one transaction.
   */
  private async write(
    tx: EntityManager,
    previous: Division | null,
    next: Division,
    amendment: Amendment,
  ): Promise<void> {
    await tx.save(Division, next);
    if (amendment.actor?.subject) {
      await this.audit.record(tx, {
        actor: { subject: amendment.actor.subject, kind: 'official' },
        action: `division.${amendment.change}`,
        entityType: 'division',
        entityId: next.code,
        before: previous ? toView(previous) : null,
        after: toView(next),
      });
    }
    await appendHistory(tx, [
      {
        division: next,
        change: amendment.change,
        changedBy: amendment.actor?.subject ?? null,
        note: amendment.note,
        effectiveOn: amendment.effectiveOn,
      },
    ]);
    await this.outbox.append(tx, DivisionChanged, [toView(next)]);
  }

  private async requireExisting(tx: EntityManager, code: string, field: string): Promise<void> {
    if (!(await tx.exists(Division, { where: { code } }))) {
      throw new ProblemException(
        422,
        'division-not-found',
        'Referenced division missing',
        `${field}: no division with code ${code}.`,
      );
    }
  }
}

function successor(current: Division, change: Partial<Division>): Division {
  return {
    ...current,
    ...change,
    version: current.version + 1,
    changedAt: new Date(),
    amended: true,
  };
}

function sameContent(a: Division, b: Division): boolean {
  return a.name === b.name && a.status === b.status && a.replacedBy === b.replacedBy;
}

function notFound(code: string): ProblemException {
  return new ProblemException(
    404,
    'division-not-found',
    'Division not found',
    `No division with code ${code}.`,
    { code },
  );
}

function viewPage(rows: Division[], limit: number): Page<DivisionView> {
  const page = toPage(rows, limit, (row) => ({ code: row.code }));
  return { ...page, items: page.items.map(toView) };
}

function cursorCode(cursor: string): string {
  const { code } = decodeCursor<{ code: string }>(cursor, ['code']);
  if (!isDivisionCode(code)) throw invalidCursor();
  return code;
}

function cursorVersion(cursor: string): number {
  const { version } = decodeCursor<{ version: number }>(cursor, ['version']);
  if (!Number.isInteger(version)) throw invalidCursor();
  return version;
}

function maxCode(a: string, b: string): string {
  return a > b ? a : b;
}

function deeperLevels(level: DivisionLevel): string {
  const deeper = DIVISION_LEVELS.slice(DIVISION_LEVELS.indexOf(level) + 1);
  return deeper.length > 0 ? deeper.join(', ') : 'none (a village has no descendants)';
}

/** LIKE treats % and _ as wildcards and \ as escape; a name fragment means them literally. */
function escapeLike(fragment: string): string {
  return fragment.replace(/[\\%_]/g, (c) => `\\${c}`);
}
