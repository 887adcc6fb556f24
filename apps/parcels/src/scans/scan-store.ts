import type { ParcelStatus } from '@ecomlog/contracts';
import type { EntityManager } from 'typeorm';
import type { ScanFact } from '../domain/parcel-state';

export function parcelKey(scan: { carrier: string; waybillNo: string }): string {
  return `${scan.carrier}|${scan.waybillNo}`;
}

interface ScanRow {
  carrier: string;
  waybill_no: string;
  scan_id: string;
  status: ParcelStatus;
  occurred_at_text: string;
  site_id: string | null;
  division_code: string | null;
  origin: string | null;
  destination: string | null;
  handover_to: string | null;
}

/** The stored scans of these parcels, as facts, by parcel key (one statement). */
export async function loadScanFacts(
  db: EntityManager,
  parcels: { carrier: string; waybillNo: string }[],
): Promise<Map<string, ScanFact[]>> {
  const rows = await db.query<ScanRow[]>(
    `SELECT s.carrier, s.waybill_no, s.scan_id, s.status, s.occurred_at_text, s.site_id, s.division_code,
            s.origin, s.destination, s.handover_to
     FROM scan s JOIN unnest($1::text[], $2::text[]) AS k(carrier, waybill_no) USING (carrier, waybill_no)`,
    [parcels.map((p) => p.carrier), parcels.map((p) => p.waybillNo)],
  );
  const byParcel = new Map<string, ScanFact[]>();
  for (const row of rows) {
    const fact: ScanFact = {
      scanId: row.scan_id,
      carrier: row.carrier,
      waybillNo: row.waybill_no,
      status: row.status,
      occurredAt: row.occurred_at_text,
      siteId: row.site_id,
      divisionCode: row.division_code,
      origin: row.origin,
      destination: row.destination,
      handoverTo: row.handover_to,
    };
    const key = parcelKey(fact);
    byParcel.set(key, [...(byParcel.get(key) ?? []), fact]);
  }
  return byParcel;
}
