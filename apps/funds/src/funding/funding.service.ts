import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { assertWithinRegion, foundInRegion, regionPrefixOf, type Principal } from '@ecomlog/auth';
import { ProblemException } from '@ecomlog/http';
import { AuditTrail } from '@ecomlog/platform';
import { LedgerService } from '../ledger/ledger.service';
import { accounts, transfer } from '../ledger/journal';
import { fen, yuan } from '../shared/money';
import { isWithin } from '@ecomlog/kernel';
import { isUniqueViolation } from '@ecomlog/persistence';
import { notFound } from '../shared/problems';
import { FundsStateEvents } from '../shared/state-events';
import {
  PROGRAM_COLUMNS,
  loadProgram,
  programFigures,
  type ProgramFigures,
  type ProgramRow,
} from '../shared/program-rows';
import type {
  CreateAllocationDto,
  CreateProgramDto,
  CreateSourceDto,
  ListFundingQuery,
  SourceLevel,
} from './dto/funding.dto';

export interface SourceView {
  id: string;
  name: string;
  level: SourceLevel;
  budgetYear: number;
  divisionCode: string;
  amountFen: number;
  /** Σ allocations from this source, from the journal. */
  allocatedFen: number;
  remainingFen: number;
  version: number;
}

export interface AllocationView {
  id: string;
  sourceId: string;
  programId: string;
  amountFen: number;
  journalEntryId: string;
  memo: string | null;
  createdAt: string;
}

export interface ProgramSummary extends ProgramRow, ProgramFigures {
  /** disbursed ÷ allocated (null while nothing is allocated). */
  disbursementRate: number | null;
  allocations: { sourceId: string; sourceName: string; level: string; amountFen: number }[];
}

interface SourceRow {
  id: string;
  name: string;
  level: SourceLevel;
  budgetYear: number;
  divisionCode: string;
  amountFen: string;
  version: number;
}

const SOURCE_COLUMNS = `id, name, level, budget_year AS "budgetYear", division_code AS "divisionCode",
  amount_fen AS "amountFen", version`;

@Injectable()
export class FundingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly events: FundsStateEvents,
    private readonly audit: AuditTrail,
  ) {}

  async createSource(actor: Principal, dto: CreateSourceDto): Promise<SourceView> {
    assertWithinRegion(actor, dto.divisionCode);
    const id = randomUUID();
    try {
      await this.dataSource.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO funding_source (id, name, level, budget_year, division_code, amount_fen, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [
            id,
            dto.name.trim(),
            dto.level,
            dto.budgetYear,
            dto.divisionCode,
            dto.amountFen,
            actor.subject,
          ],
        );
        await this.events.record(tx, {
          entityType: 'source',
          entityId: id,
          programId: null,
          divisionCode: dto.divisionCode,
          status: 'active',
          version: 1,
          summary: {
            name: dto.name.trim(),
            level: dto.level,
            budgetYear: dto.budgetYear,
            amountFen: dto.amountFen,
          },
          action: 'source.created',
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        const [existing] = await this.dataSource.query<{ id: string }[]>(
          'SELECT id FROM funding_source WHERE division_code = $1 AND budget_year = $2 AND name = $3',
          [dto.divisionCode, dto.budgetYear, dto.name.trim()],
        );
        throw new ProblemException(
          409,
          'source-exists',
          'Funding source already registered',
          `A source named "${dto.name.trim()}" of ${dto.budgetYear} already exists for ${dto.divisionCode}; use it (id ${existing?.id}).`,
          { existingId: existing?.id },
        );
      }
      throw error;
    }
    return this.getSource(actor, id);
  }

  async listSources(actor: Principal, query: ListFundingQuery): Promise<SourceView[]> {
    const rows = await this.dataSource.query<SourceRow[]>(
      `SELECT ${SOURCE_COLUMNS} FROM funding_source
       WHERE division_code LIKE $1 || '%' AND division_code LIKE $2 || '%'
         AND ($3::int IS NULL OR budget_year = $3)
       ORDER BY budget_year DESC, division_code, name`,
      [regionPrefixOf(actor), query.divisionPrefix ?? '', query.year ?? null],
    );
    return this.toSourceViews(rows);
  }

  async getSource(actor: Principal, id: string): Promise<SourceView> {
    const rows = await this.dataSource.query<SourceRow[]>(
      `SELECT ${SOURCE_COLUMNS} FROM funding_source WHERE id = $1`,
      [id],
    );
    const source = foundInRegion(actor, rows[0], () => notFound('funding source', id));
    return (await this.toSourceViews([source]))[0];
  }

  private async toSourceViews(rows: SourceRow[]): Promise<SourceView[]> {
    if (rows.length === 0) return [];
    const allocated = await this.dataSource.query<{ account: string; credit: string }[]>(
      `SELECT account, sum(credit_fen) - sum(debit_fen) AS credit FROM journal_line
       WHERE account = ANY($1::text[]) GROUP BY account`,
      [rows.map((row) => accounts.sourceBudget(row.id))],
    );
    const byAccount = new Map(allocated.map((row) => [row.account, fen(row.credit)]));
    return rows.map((row) => {
      const amountFen = fen(row.amountFen);
      const allocatedFen = byAccount.get(accounts.sourceBudget(row.id)) ?? 0;
      return {
        id: row.id,
        name: row.name,
        level: row.level,
        budgetYear: row.budgetYear,
        divisionCode: row.divisionCode,
        amountFen,
        allocatedFen,
        remainingFen: amountFen - allocatedFen,
        version: row.version,
      };
    });
  }

  async createProgram(actor: Principal, dto: CreateProgramDto): Promise<ProgramSummary> {
    assertWithinRegion(actor, dto.divisionCode);
    const id = randomUUID();
    try {
      await this.dataSource.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO program (id, name, year, division_code, created_by) VALUES ($1, $2, $3, $4, $5)`,
          [id, dto.name.trim(), dto.year, dto.divisionCode, actor.subject],
        );
        await this.events.record(tx, {
          entityType: 'program',
          entityId: id,
          programId: id,
          divisionCode: dto.divisionCode,
          status: 'active',
          version: 1,
          summary: { name: dto.name.trim(), year: dto.year },
          action: 'program.created',
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        const [existing] = await this.dataSource.query<{ id: string }[]>(
          'SELECT id FROM program WHERE division_code = $1 AND name = $2',
          [dto.divisionCode, dto.name.trim()],
        );
        throw new ProblemException(
          409,
          'program-exists',
          'Program already registered',
          `A program named "${dto.name.trim()}" already exists for ${dto.divisionCode}; use it (id ${existing?.id}).`,
          { existingId: existing?.id },
        );
      }
      throw error;
    }
    return (await this.programSummaries(actor, { ids: [id] }))[0];
  }

  /** Programs in the caller's region with their figures (from the journal) and sources. */
  async programSummaries(
    actor: Principal,
    filter: {
      ids?: string[];
      divisionPrefix?: string;
      year?: number;
      /** Page by (divisionCode, id): at most `limit` programs after `after`. */
      after?: { divisionCode: string; id: string };
      limit?: number;
    },
  ): Promise<ProgramSummary[]> {
    const rows = await this.dataSource.query<ProgramRow[]>(
      `SELECT ${PROGRAM_COLUMNS} FROM program
       WHERE division_code LIKE $1 || '%' AND division_code LIKE $2 || '%'
         AND ($3::int IS NULL OR year = $3) AND ($4::uuid[] IS NULL OR id = ANY($4::uuid[]))
         AND ($5::text IS NULL OR (division_code, id) > ($5::char(12), $6::uuid))
       ORDER BY division_code, id
       LIMIT $7`,
      [
        regionPrefixOf(actor),
        filter.divisionPrefix ?? '',
        filter.year ?? null,
        filter.ids ?? null,
        filter.after?.divisionCode ?? null,
        filter.after?.id ?? null,
        filter.limit ?? null,
      ],
    );
    const ids = rows.map((row) => row.id);
    const figures = await programFigures(this.dataSource.manager, ids);
    const allocations = ids.length
      ? await this.dataSource.query<
          { program_id: string; source_id: string; name: string; level: string; total: string }[]
        >(
          `SELECT a.program_id, a.source_id, s.name, s.level, sum(a.amount_fen) AS total
           FROM allocation a JOIN funding_source s ON s.id = a.source_id
           WHERE a.program_id = ANY($1::uuid[])
           GROUP BY a.program_id, a.source_id, s.name, s.level ORDER BY s.name`,
          [ids],
        )
      : [];
    return rows.map((row) => {
      const f = figures.get(row.id) as ProgramFigures;
      return {
        ...row,
        ...f,
        disbursementRate: f.allocatedFen === 0 ? null : f.disbursedFen / f.allocatedFen,
        allocations: allocations
          .filter((a) => a.program_id === row.id)
          .map((a) => ({
            sourceId: a.source_id,
            sourceName: a.name,
            level: a.level,
            amountFen: fen(a.total),
          })),
      };
    });
  }

  /**
   * Allocates source money to a program. The source row is locked, then what it has left is
   * recomputed from the journal, so concurrent allocations can never overdraw it.
   */
  async allocate(actor: Principal, dto: CreateAllocationDto): Promise<AllocationView> {
    const sourceId = dto.sourceId.toLowerCase();
    const programId = dto.programId.toLowerCase();
    return this.dataSource.transaction(async (tx) => {
      const [row] = await tx.query<SourceRow[]>(
        `SELECT ${SOURCE_COLUMNS} FROM funding_source WHERE id = $1 FOR UPDATE`,
        [sourceId],
      );
      const source = foundInRegion(actor, row, () => notFound('funding source', sourceId));
      const program = await loadProgram(tx, programId, actor, true);
      if (!isWithin(program.divisionCode, source.divisionCode)) {
        throw new ProblemException(
          422,
          'program-outside-source-region',
          'Program outside the source region',
          `Program "${program.name}" (${program.divisionCode}) lies outside the region ${source.divisionCode} of source "${source.name}".`,
        );
      }
      const [allocated] = await tx.query<{ total: string | null }[]>(
        `SELECT sum(credit_fen) - sum(debit_fen) AS total FROM journal_line WHERE account = $1`,
        [accounts.sourceBudget(sourceId)],
      );
      const amountFen = fen(source.amountFen);
      const allocatedFen = fen(allocated?.total);
      const remainingFen = amountFen - allocatedFen;
      if (dto.amountFen > remainingFen) {
        throw new ProblemException(
          409,
          'allocation-exceeds-source',
          'Allocation exceeds what the source has left',
          `Source "${source.name}" has ${yuan(remainingFen)} left (${yuan(amountFen)} budget, ${yuan(allocatedFen)} already allocated); it cannot give ${yuan(dto.amountFen)} to "${program.name}".`,
          { requestedFen: dto.amountFen, remainingFen, amountFen, allocatedFen },
        );
      }
      const entry = await this.ledger.post(tx, {
        kind: 'allocation',
        programId,
        divisionCode: program.divisionCode,
        amountFen: dto.amountFen,
        sourceId,
        lines: transfer(
          accounts.programAvailable(programId),
          accounts.sourceBudget(sourceId),
          dto.amountFen,
        ),
        memo: dto.memo ?? `${source.name} → ${program.name}`,
        postedBy: actor.subject,
      });
      const id = randomUUID();
      await tx.query(
        `INSERT INTO allocation (id, source_id, program_id, amount_fen, journal_entry_id, memo, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, sourceId, programId, dto.amountFen, entry.entryId, dto.memo ?? null, actor.subject],
      );
      const view: AllocationView = {
        id,
        sourceId,
        programId,
        amountFen: dto.amountFen,
        journalEntryId: entry.entryId,
        memo: dto.memo ?? null,
        createdAt: entry.postedAt,
      };
      await this.audit.record(tx, {
        action: 'allocation.created',
        entityType: 'allocation',
        entityId: id,
        after: { ...view, sourceRemainingFen: remainingFen - dto.amountFen },
      });
      return view;
    });
  }

  async listAllocations(
    actor: Principal,
    programId?: string,
    sourceId?: string,
  ): Promise<AllocationView[]> {
    const rows = await this.dataSource.query<
      {
        id: string;
        source_id: string;
        program_id: string;
        amount_fen: string;
        journal_entry_id: string;
        memo: string | null;
        created_at: Date;
      }[]
    >(
      `SELECT a.* FROM allocation a JOIN program p ON p.id = a.program_id
       WHERE p.division_code LIKE $1 || '%' AND ($2::uuid IS NULL OR a.program_id = $2)
         AND ($3::uuid IS NULL OR a.source_id = $3)
       ORDER BY a.created_at, a.id`,
      [regionPrefixOf(actor), programId ?? null, sourceId ?? null],
    );
    return rows.map((row) => ({
      id: row.id,
      sourceId: row.source_id,
      programId: row.program_id,
      amountFen: fen(row.amount_fen),
      journalEntryId: row.journal_entry_id,
      memo: row.memo,
      createdAt: row.created_at.toISOString(),
    }));
  }
}
