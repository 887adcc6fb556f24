import { Injectable } from '@nestjs/common';
import {
  In,
  type EntityManager,
  type EntityTarget,
  type FindOptionsOrder,
  type FindOptionsWhere,
} from 'typeorm';
import { EnterpriseChanged, type EnterpriseChangedV1 } from '@ecomlog/contracts';
import { ProblemException } from '@ecomlog/http';
import { OutboxWriter } from '@ecomlog/messaging';
import { AuditTrail } from '@ecomlog/platform';
import { Brand, BrandAuthorisation, BrandProduct } from '../brands/brand.entity';
import { shanghaiDay } from '@ecomlog/kernel';
import {
  Enterprise,
  EnterpriseBlacklistPeriod,
  EnterpriseDesignation,
  EnterpriseStatusChange,
  Shop,
} from './enterprise.entity';

/** An enterprise as the API shows it and as `registry.enterprises.v1` carries it. */
export type EnterpriseView = EnterpriseChangedV1;

/** Everything the published state of one enterprise is made of. */
export interface EnterpriseAggregate {
  enterprise: Enterprise;
  statusHistory: EnterpriseStatusChange[];
  blacklistPeriods: EnterpriseBlacklistPeriod[];
  designations: EnterpriseDesignation[];
  shops: Shop[];
  brands: { brand: Brand; authorisation: BrandAuthorisation; products: BrandProduct[] }[];
}

const DESIGNATION_ORDER = { national: 0, provincial: 1, municipal: 2 } as const;

/**
 * Loads, locks and publishes enterprises. Every change goes through `commit`: version + 1 and one
 * EnterpriseChanged event with the full state, in the caller's transaction.
 */
@Injectable()
export class EnterpriseState {
  /** The state as it was when locked: the audit log's "before". */
  private readonly before = new WeakMap<Enterprise, EnterpriseView>();

  constructor(
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditTrail,
  ) {}

  /** Locks the enterprise row for the rest of the transaction, so changes apply one at a time. */
  async lock(tx: EntityManager, id: string): Promise<Enterprise> {
    const enterprise = await tx.findOne(Enterprise, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!enterprise) throw enterpriseNotFound(id);
    this.before.set(enterprise, (await this.views(tx, [enterprise]))[0]);
    return enterprise;
  }

  /** Bumps the version, stores the row and appends the full new state to the outbox. */
  async commit(tx: EntityManager, enterprise: Enterprise, now: Date): Promise<EnterpriseView> {
    enterprise.version += 1;
    enterprise.changedAt = now;
    await tx.save(Enterprise, enterprise);
    return this.publish(tx, enterprise, now);
  }

  /** Appends the full current state (already stored, e.g. just inserted at version 1). */
  async publish(tx: EntityManager, enterprise: Enterprise, now: Date): Promise<EnterpriseView> {
    const [aggregate] = await this.loadAggregates(tx, [enterprise]);
    const view = toEnterpriseView(aggregate, shanghaiDay(now));
    await this.outbox.append(tx, EnterpriseChanged, [view]);
    const before = this.before.get(enterprise) ?? null;
    await this.audit.record(tx, {
      action: before ? 'enterprise.changed' : 'enterprise.created',
      entityType: 'enterprise',
      entityId: enterprise.id,
      before,
      after: view,
    });
    return view;
  }

  async view(manager: EntityManager, id: string): Promise<EnterpriseView> {
    const enterprise = await manager.findOne(Enterprise, { where: { id } });
    if (!enterprise) throw enterpriseNotFound(id);
    return (await this.views(manager, [enterprise]))[0];
  }

  /** Views as of today (Asia/Shanghai), in the order given. */
  async views(manager: EntityManager, enterprises: Enterprise[]): Promise<EnterpriseView[]> {
    const today = shanghaiDay();
    const aggregates = await this.loadAggregates(manager, enterprises);
    return aggregates.map((aggregate) => toEnterpriseView(aggregate, today));
  }

  /** Children of many enterprises in one query per table. */
  async loadAggregates(
    manager: EntityManager,
    enterprises: Enterprise[],
  ): Promise<EnterpriseAggregate[]> {
    if (enterprises.length === 0) return [];
    const ids = enterprises.map((enterprise) => enterprise.id);
    // The rows of these enterprises in one of their tables, in the given order.
    const rowsOf = <E extends { enterpriseId: string }>(
      entity: EntityTarget<E>,
      order: FindOptionsOrder<E>,
    ): Promise<E[]> =>
      manager.find(entity, { where: { enterpriseId: In(ids) } as FindOptionsWhere<E>, order });
    // One after the other: the queries share the transaction's connection.
    const statuses = await rowsOf(EnterpriseStatusChange, { effectiveFrom: 'ASC' });
    const periods = await rowsOf(EnterpriseBlacklistPeriod, { startsOn: 'ASC', id: 'ASC' });
    const designations = await rowsOf(EnterpriseDesignation, { year: 'ASC' });
    const shops = await rowsOf(Shop, { platform: 'ASC', shopId: 'ASC' });
    const authorisations = await rowsOf(BrandAuthorisation, {
      authorisedOn: 'ASC',
      brandId: 'ASC',
    });
    const products = await rowsOf(BrandProduct, { traceabilityCode: 'ASC' });
    const brandIds = [...new Set(authorisations.map((authorisation) => authorisation.brandId))];
    const brands = brandIds.length
      ? await manager.find(Brand, { where: { id: In(brandIds) } })
      : [];
    const brandById = new Map(brands.map((brand) => [brand.id, brand]));

    return enterprises.map((enterprise) => {
      const own = <T extends { enterpriseId: string }>(rows: T[]): T[] =>
        rows.filter((row) => row.enterpriseId === enterprise.id);
      return {
        enterprise,
        statusHistory: own(statuses),
        blacklistPeriods: own(periods),
        designations: own(designations).sort(
          (a, b) => a.year - b.year || DESIGNATION_ORDER[a.level] - DESIGNATION_ORDER[b.level],
        ),
        shops: own(shops),
        brands: own(authorisations).flatMap((authorisation) => {
          const brand = brandById.get(authorisation.brandId);
          if (!brand) return [];
          const brandProducts = own(products).filter((p) => p.brandId === brand.id);
          return [{ brand, authorisation, products: brandProducts }];
        }),
      };
    });
  }
}

/** Blacklisted on `day` when a period has started and not yet ended (its end day is excluded). */
export function isBlacklistedOn(
  periods: Pick<EnterpriseBlacklistPeriod, 'startsOn' | 'endsOn'>[],
  day: string,
): boolean {
  return periods.some(
    (period) => period.startsOn <= day && (period.endsOn === null || day < period.endsOn),
  );
}

export function toEnterpriseView(aggregate: EnterpriseAggregate, asOfDay: string): EnterpriseView {
  const { enterprise } = aggregate;
  return {
    id: enterprise.id,
    creditCode: enterprise.creditCode,
    name: enterprise.name,
    kinds: [...enterprise.kinds],
    carrierCode: enterprise.carrierCode,
    logisticsRating: enterprise.logisticsRating,
    registeredDivisionCode: enterprise.registeredDivisionCode,
    registeredOn: enterprise.registeredOn,
    status: enterprise.status,
    statusHistory: aggregate.statusHistory.map((entry) => ({
      status: entry.status,
      effectiveFrom: entry.effectiveFrom,
    })),
    taxRegisteredLocally: enterprise.taxRegisteredLocally,
    independentLegalEntity: enterprise.independentLegalEntity,
    creditStatus: isBlacklistedOn(aggregate.blacklistPeriods, asOfDay) ? 'blacklisted' : 'good',
    blacklistPeriods: aggregate.blacklistPeriods.map((period) => ({
      from: period.startsOn,
      to: period.endsOn,
      reason: period.reason,
    })),
    designations: aggregate.designations.map((designation) => ({
      level: designation.level,
      year: designation.year,
      title: designation.title,
    })),
    shops: aggregate.shops.map((shop) => ({
      platform: shop.platform,
      shopId: shop.shopId,
      name: shop.name,
    })),
    brands: aggregate.brands.map(({ brand, authorisation, products }) => ({
      brandId: brand.id,
      brandName: brand.name,
      authorisedOn: authorisation.authorisedOn,
      products: products.map((product) => ({
        name: product.name,
        traceabilityCode: product.traceabilityCode,
      })),
    })),
    version: enterprise.version,
    changedAt: enterprise.changedAt.toISOString(),
  };
}

export function enterpriseNotFound(id: string): ProblemException {
  return new ProblemException(
    404,
    'enterprise-not-found',
    'Enterprise not found',
    `No enterprise with id ${id}.`,
  );
}
