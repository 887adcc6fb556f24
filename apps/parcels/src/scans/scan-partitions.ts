import type { EntityManager } from 'typeorm';

/**
 * The partition of an Asia/Shanghai month (YYYY-MM, see the kernel's shanghaiMonth): Shanghai has
 * no daylight saving, so months start at 00:00 +08:00.
 */
export function partitionBounds(month: string): { name: string; from: string; to: string } {
  const [year, mon] = month.split('-').map(Number);
  const next = mon === 12 ? `${year + 1}-01` : `${year}-${String(mon + 1).padStart(2, '0')}`;
  return {
    name: `scan_${month.replace('-', '_')}`,
    from: `${month}-01 00:00:00+08`,
    to: `${next}-01 00:00:00+08`,
  };
}

/**
 * Creates the monthly partitions of `scan` the given months need. Existing ones cost one catalogue
 * lookup; missing ones are created under a transaction-scoped advisory lock, so consumers running
 * partitions concurrently never race on the same CREATE.
 */
export async function ensureScanPartitions(tx: EntityManager, months: string[]): Promise<void> {
  const wanted = [...new Set(months)].map(partitionBounds);
  if (wanted.length === 0) return;
  const existing = await tx.query<{ relname: string }[]>(
    'SELECT relname FROM pg_class WHERE relname = ANY($1::text[])',
    [wanted.map((w) => w.name)],
  );
  const have = new Set(existing.map((row) => row.relname));
  const missing = wanted.filter((w) => !have.has(w.name));
  if (missing.length === 0) return;
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('parcels.scan-partitions'))");
  for (const partition of missing) {
    // Names and bounds are built from validated digits only, never from input text.
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${partition.name} PARTITION OF scan
       FOR VALUES FROM ('${partition.from}') TO ('${partition.to}')`,
    );
  }
}
