import type { EntityManager } from 'typeorm';

/**
 * Serialises linking: the site consumer holds it exclusively while it stores sites and links the
 * scans waiting for them; the scan consumer holds it shared while it resolves sites and stores
 * scans. So a scan stored unlinked is always seen by the next SiteChanged of its site.
 */
const SITE_LINK_LOCK = "hashtext('parcels.site-links')";

export async function lockSiteLinksExclusive(tx: EntityManager): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(${SITE_LINK_LOCK})`);
}

/**
 * The division of every known site among `siteIds`, by site id. Takes the shared link lock first
 * (held until the caller's transaction ends).
 */
export async function siteDivisions(
  tx: EntityManager,
  siteIds: string[],
): Promise<Map<string, string>> {
  const ids = [...new Set(siteIds)];
  if (ids.length === 0) return new Map();
  await tx.query(`SELECT pg_advisory_xact_lock_shared(${SITE_LINK_LOCK})`);
  const rows = await tx.query<{ id: string; division_code: string }[]>(
    'SELECT id, division_code FROM known_site WHERE id = ANY($1::uuid[])',
    [ids],
  );
  return new Map(rows.map((row) => [row.id, row.division_code]));
}
