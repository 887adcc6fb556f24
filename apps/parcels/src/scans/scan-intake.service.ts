import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ScanV1, describeProblems, validatePayload } from '@ecomlog/contracts';
import { ParcelsEnv } from '../config';
import type { Principal } from '@ecomlog/auth';
import { KafkaGateway } from '@ecomlog/messaging';
import { CORRELATION_EVENT_HEADER, currentCorrelationId } from '@ecomlog/observability';
import { dedupeKeys, type ScanFact } from '../domain/parcel-state';
import { normaliseStatus } from '../domain/status-tables';
import { loadScanFacts, parcelKey } from './scan-store';

export const MAX_SCANS_PER_REQUEST = 1000;

export type ScanOutcome = 'accepted' | 'duplicate' | 'rejected';

export interface ScanResult {
  index: number;
  scanId: string | null;
  outcome: ScanOutcome;
  reason?: string;
}

export interface ScanIntakeReport {
  accepted: number;
  duplicates: number;
  rejected: number;
  results: ScanResult[];
}

/**
 * The HTTP door: checks each scan as the consumer would (payload, carrier scope, status code,
 * duplicates already stored or earlier in the request) and produces the accepted ones, unchanged,
 * to parcels.scans.v1 in one call, so both doors share the consumer.
 */
@Injectable()
export class ScanIntakeService {
  constructor(
    private readonly kafka: KafkaGateway,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly env: ParcelsEnv,
  ) {}

  async submit(items: unknown[], principal: Principal): Promise<ScanIntakeReport> {
    const results: ScanResult[] = [];
    const candidates: { index: number; scan: ScanV1; fact: ScanFact }[] = [];
    items.forEach((item, index) => {
      const check = validatePayload(ScanV1, item, 'produce');
      const scanId = scanIdOf(item);
      if (!check.ok) {
        results.push({
          index,
          scanId,
          outcome: 'rejected',
          reason: describeProblems(check.problems),
        });
        return;
      }
      const scan = check.value;
      if (principal.kind === 'courier' && principal.carrierCode !== scan.carrier) {
        results.push({
          index,
          scanId,
          outcome: 'rejected',
          reason: `other-carrier: this client acts for carrier ${principal.carrierCode ?? '(none)'} and may not send scans of ${scan.carrier}`,
        });
        return;
      }
      const normalised = normaliseStatus(scan.carrier, scan.status);
      if (!normalised.ok) {
        results.push({ index, scanId, outcome: 'rejected', reason: normalised.reason });
        return;
      }
      candidates.push({
        index,
        scan,
        fact: { ...scan, status: normalised.status },
      });
    });

    const stored = await loadScanFacts(
      this.dataSource.manager,
      candidates.map((c) => c.fact),
    );
    const seen = new Map<string, Set<string>>();
    for (const [key, facts] of stored) seen.set(key, new Set(facts.flatMap(dedupeKeys)));
    const accepted: ScanV1[] = [];
    for (const { index, scan, fact } of candidates) {
      const key = parcelKey(fact);
      const known = seen.get(key) ?? new Set<string>();
      seen.set(key, known);
      const own = dedupeKeys(fact);
      if (own.some((k) => known.has(k))) {
        results.push({ index, scanId: scan.scanId, outcome: 'duplicate' });
        continue;
      }
      own.forEach((k) => known.add(k));
      accepted.push(scan);
      results.push({ index, scanId: scan.scanId, outcome: 'accepted' });
    }

    const correlationId = currentCorrelationId();
    await this.kafka.publish(
      accepted.map((scan) => ({
        topic: this.env.SCANS_TOPIC,
        key: scan.waybillNo,
        value: JSON.stringify(scan),
        headers: {
          'content-type': 'application/json',
          ...(correlationId ? { [CORRELATION_EVENT_HEADER]: correlationId } : {}),
        },
      })),
    );
    results.sort((a, b) => a.index - b.index);
    return {
      accepted: accepted.length,
      duplicates: results.filter((r) => r.outcome === 'duplicate').length,
      rejected: results.filter((r) => r.outcome === 'rejected').length,
      results,
    };
  }
}

function scanIdOf(item: unknown): string | null {
  const id = (item as { scanId?: unknown } | null)?.scanId;
  return typeof id === 'string' ? id : null;
}
