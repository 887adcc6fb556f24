import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, MoreThan, type EntityManager } from 'typeorm';
import { DivisionChanged, type DivisionChangedV1 } from '@ecomlog/contracts';
import { ProblemException, toPage, decodeCursor, type Page } from '@ecomlog/http';
import { OutboxWriter } from '@ecomlog/messaging';
import { Division } from './division.entity';
import { isAdministrativeVillage, levelOfCode, parentOfCode } from './division-code.util';
import type { PutDivisionDto } from './dto/put-division.dto';

export type DivisionView = DivisionChangedV1;

@Injectable()
export class DivisionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  /** Creates or amends a division; every real change bumps its version and is published. */
  async put(
    code: string,
    change: PutDivisionDto,
  ): Promise<{ division: DivisionView; created: boolean }> {
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
      if (change.replacedBy !== undefined)
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
      });
      if (existing && sameContent(existing, next))
        return { division: toView(existing), created: false };

      await tx.save(Division, next);
      await this.outbox.append(tx, DivisionChanged, [toView(next)]);
      return { division: toView(next), created: existing === null };
    });
  }

  async get(code: string): Promise<DivisionView> {
    const division = await this.dataSource.getRepository(Division).findOneBy({ code });
    if (!division)
      throw new ProblemException(
        404,
        'division-not-found',
        'Division not found',
        `No division with code ${code}.`,
      );
    return toView(division);
  }

  async children(code: string, limit: number, cursor?: string): Promise<Page<DivisionView>> {
    const after = cursor ? decodeCursor<{ code: string }>(cursor, ['code']).code : '';
    const rows = await this.dataSource.getRepository(Division).find({
      where: { parentCode: code, code: MoreThan(after) },
      order: { code: 'ASC' },
      take: limit + 1,
    });
    const page = toPage(rows, limit, (row) => ({ code: row.code }));
    return { ...page, items: page.items.map(toView) };
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

function sameContent(a: Division, b: Division): boolean {
  return a.name === b.name && a.status === b.status && a.replacedBy === b.replacedBy;
}

function toView(division: Division): DivisionView {
  return {
    code: division.code,
    name: division.name,
    level: division.level,
    parentCode: division.parentCode,
    administrativeVillage: division.administrativeVillage,
    status: division.status,
    replacedBy: division.replacedBy,
    version: division.version,
    changedAt: division.changedAt.toISOString(),
  };
}
