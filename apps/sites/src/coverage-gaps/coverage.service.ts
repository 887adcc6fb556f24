import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { DivisionLevel } from '@ecomlog/contracts';
import { regionPrefixOf, type Principal } from '@ecomlog/auth';
import { ProblemException } from '@ecomlog/http';
import { KnownDivision } from '../read-models/known-division.entity';
import { shanghaiDay } from '@ecomlog/kernel';
import { EXPRESS_CAPABLE_KINDS } from '../sites/site-rules';
import type { CoverageGaps, CoverageIndicator, DivisionRef } from './coverage.dto';

const PREFIX_DIGITS: Record<DivisionLevel, number> = {
  province: 2,
  city: 4,
  county: 6,
  town: 9,
  village: 12,
};

interface CoverageRow {
  code: string;
  name: string;
  level: DivisionLevel;
  has_station: boolean;
  has_point: boolean;
  has_express: boolean;
}

/**
 * Coverage gaps (补白) of SPEC 4.6 from the site register and the division read model: the towns
 * and administrative villages (村民委员会) in use inside the region, and which of them have an
 * operating site of the right kind on the day asked.
 */
@Injectable()
export class CoverageService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async gaps(
    actor: Principal | undefined,
    regionCode: string,
    asOf?: string,
  ): Promise<CoverageGaps> {
    const day = asOf ?? shanghaiDay();
    const region = await this.dataSource
      .getRepository(KnownDivision)
      .findOneBy({ code: regionCode });
    if (!region) {
      throw new ProblemException(
        404,
        'division-not-found',
        'Division not known',
        `Division ${regionCode} has not reached the sites service from registry.divisions.v1 (yet).`,
      );
    }
    const prefix = region.code.slice(0, PREFIX_DIGITS[region.level]);
    const allowed = actor ? regionPrefixOf(actor) : '';
    if (!prefix.startsWith(allowed)) {
      throw new ProblemException(
        403,
        'outside-region',
        'Outside your region',
        `Region ${region.code} ${region.name} is not inside your region (${allowed}); ask for a region inside it.`,
      );
    }
    const rows: CoverageRow[] = await this.dataSource.query(
      `WITH operating AS (
         SELECT s.kind, s.division_code, cardinality(s.carriers) AS carriers
         FROM site s
         JOIN LATERAL (
           SELECT e.status FROM site_status_entry e
           WHERE e.site_id = s.id AND e.effective_from <= $2::date
           ORDER BY e.effective_from DESC LIMIT 1
         ) current ON current.status = 'operating'
         WHERE s.division_code LIKE $1
       )
       SELECT d.code, d.name, d.level,
         EXISTS (SELECT 1 FROM operating o
                 WHERE o.division_code = d.code AND o.kind = 'town_service_station') AS has_station,
         EXISTS (SELECT 1 FROM operating o
                 WHERE o.division_code = d.code AND o.kind = 'village_service_point') AS has_point,
         EXISTS (SELECT 1 FROM operating o
                 WHERE o.division_code = d.code AND o.kind = ANY ($3::text[]) AND o.carriers >= 1) AS has_express
       FROM known_division d
       WHERE d.code LIKE $1 AND d.status = 'active'
         AND (d.level = 'town' OR (d.level = 'village' AND d.administrative_village))
       ORDER BY d.code`,
      [`${prefix}%`, day, EXPRESS_CAPABLE_KINDS],
    );
    const towns = rows.filter((row) => row.level === 'town');
    const villages = rows.filter((row) => row.level === 'village');
    return {
      asOf: day,
      region: { code: region.code, name: region.name, level: region.level },
      towns: indicator(towns, (row) => row.has_station),
      villagePoints: indicator(villages, (row) => row.has_point),
      villageExpress: indicator(villages, (row) => row.has_express),
    };
  }
}

function indicator(rows: CoverageRow[], covers: (row: CoverageRow) => boolean): CoverageIndicator {
  const gaps: DivisionRef[] = rows
    .filter((row) => !covers(row))
    .map((row) => ({ code: row.code, name: row.name }));
  const total = rows.length;
  const covered = total - gaps.length;
  return {
    total,
    covered,
    numerator: covered,
    denominator: total,
    ratio: total === 0 ? null : covered / total,
    gaps,
  };
}
