import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SiteChanged, type SiteChangedV1 } from '@ecomlog/contracts';
import { SITE_COLUMNS, defineSnapshotTable, type SnapshotChunk } from '@ecomlog/messaging';
import { SnapshotReadModel } from '@ecomlog/platform';
import { lockSiteLinksExclusive } from './site-links';

const KNOWN_SITE = defineSnapshotTable<SiteChangedV1>({
  table: 'known_site',
  key: ['id'],
  columns: SITE_COLUMNS,
  touchedOnUpdate: ['updated_at'],
});

/**
 * Keeps known_site in step with sites.sites.v1 (highest version wins, one statement per chunk),
 * then links the scans that named one of these sites before it was known: their division is
 * taken from the site.
 */
@Injectable()
export class SiteReadModelConsumer extends SnapshotReadModel(KNOWN_SITE, {
  group: 'parcels.site-read-model',
  events: [SiteChanged],
}) {
  protected override async beforeUpsert(tx: EntityManager): Promise<void> {
    await lockSiteLinksExclusive(tx);
  }

  /** Scans stored before their site was known: linked now, with the site's current division. */
  protected override async afterUpsert(
    tx: EntityManager,
    { latest }: SnapshotChunk<SiteChangedV1>,
  ): Promise<void> {
    await tx.query(
      `UPDATE scan s SET division_code = k.division_code
       FROM known_site k
       WHERE k.id = ANY($1::uuid[]) AND s.site_id = k.id
         AND s.site_id IS NOT NULL AND s.division_code IS NULL`,
      [latest.map((r) => r.id)],
    );
  }
}
