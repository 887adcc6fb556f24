import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import {
  SITE_SERVICES,
  SiteChanged,
  type SiteChangedV1,
  type SiteService,
} from '@ecomlog/contracts';
import { ProblemException } from '@ecomlog/http';
import { OutboxWriter } from '@ecomlog/messaging';
import { AuditTrail } from '@ecomlog/platform';
import { Site, SiteStatusEntry } from './site.entity';
import { statusOn } from './site-rules';
import type { SiteView } from './site-view';

/** A site with its status history, oldest entry first. */
export interface SiteAggregate {
  site: Site;
  history: SiteStatusEntry[];
}

/** What changed, for the audit log. */
export type SiteAction = 'site.created' | 'site.changed' | 'site.status-recorded';

/**
 * Loads, locks and publishes sites. Every change ends in `publish`: the full new state goes to the
 * outbox (one SiteChanged per site) and to the audit log, in the caller's transaction.
 */
@Injectable()
export class SiteState {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditTrail,
  ) {}

  /** Locks the site row for the rest of the transaction, so changes apply one at a time. */
  async lock(tx: EntityManager, id: string): Promise<SiteAggregate> {
    const site = await tx.findOne(Site, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!site) throw siteNotFound(id);
    return (await this.load(tx, [site]))[0];
  }

  async find(manager: EntityManager, id: string): Promise<SiteAggregate> {
    const site = await manager.findOne(Site, { where: { id } });
    if (!site) throw siteNotFound(id);
    return (await this.load(manager, [site]))[0];
  }

  /** The histories of many sites in one query, in the order given. */
  async load(manager: EntityManager, sites: Site[]): Promise<SiteAggregate[]> {
    if (sites.length === 0) return [];
    const entries = await manager.find(SiteStatusEntry, {
      where: { siteId: In(sites.map((site) => site.id)) },
      order: { effectiveFrom: 'ASC' },
    });
    const bySite = new Map<string, SiteStatusEntry[]>();
    for (const entry of entries) {
      const list = bySite.get(entry.siteId) ?? [];
      list.push(entry);
      bySite.set(entry.siteId, list);
    }
    return sites.map((site) => ({ site, history: bySite.get(site.id) ?? [] }));
  }

  /**
   * Appends the stored state of these sites to the outbox and the audit log. `before` holds the
   * published state of each site before the change (absent for new sites).
   */
  async publish(
    tx: EntityManager,
    action: SiteAction,
    aggregates: SiteAggregate[],
    before: Map<string, SiteChangedV1> = new Map(),
  ): Promise<SiteChangedV1[]> {
    const payloads = aggregates.map(toSitePayload);
    await this.outbox.append(tx, SiteChanged, payloads);
    await this.audit.record(
      tx,
      ...payloads.map((payload) => ({
        action,
        entityType: 'site',
        entityId: payload.id,
        before: before.get(payload.id) ?? null,
        after: payload,
      })),
    );
    return payloads;
  }
}

/** The full state `sites.sites.v1` carries. */
export function toSitePayload({ site, history }: SiteAggregate): SiteChangedV1 {
  return {
    id: site.id,
    name: site.name,
    kind: site.kind,
    divisionCode: site.divisionCode,
    operatorEnterpriseId: site.operatorEnterpriseId,
    carriers: [...site.carriers],
    services: [...site.services],
    dailyCapacity: site.dailyCapacity,
    address: site.address,
    location:
      site.latitude === null || site.longitude === null
        ? null
        : { lat: site.latitude, lng: site.longitude },
    flags: { coldChain: site.coldChain, cloudWarehouse: site.cloudWarehouse },
    statusHistory: history.map((entry) => ({
      status: entry.status,
      effectiveFrom: entry.effectiveFrom,
      note: entry.note,
    })),
    version: site.version,
    changedAt: site.changedAt.toISOString(),
  };
}

/** The site as of `day`, or null when it did not exist yet (no status entry on or before). */
export function toSiteView(payload: SiteChangedV1, day: string): SiteView | null {
  const status = statusOn(payload.statusHistory, day);
  return status === null ? null : { ...payload, asOf: day, status };
}

export function sortCarriers(carriers: readonly string[]): string[] {
  return [...new Set(carriers)].sort();
}

export function sortServices(services: readonly SiteService[]): SiteService[] {
  const wanted = new Set(services);
  return SITE_SERVICES.filter((service) => wanted.has(service));
}

export function siteNotFound(id: string): ProblemException {
  return new ProblemException(404, 'site-not-found', 'Site not found', `No site with id ${id}.`);
}
