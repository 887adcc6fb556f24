import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { validateCreditCode, type EnterpriseKind, type LogisticsRating } from '@ecomlog/contracts';
import {
  ProblemException,
  assertNotInFuture,
  decodeCursor,
  toPage,
  type Page,
} from '@ecomlog/http';
import { isUniqueViolation } from '@ecomlog/persistence';
import { assertActorRegion, type Actor } from './actor';
import { shanghaiDay, shanghaiYear } from '@ecomlog/kernel';
import { requireDivision } from './division-rules';
import {
  Enterprise,
  EnterpriseBlacklistPeriod,
  EnterpriseDesignation,
  EnterpriseStatusChange,
  Shop,
} from './enterprise.entity';
import { EnterpriseState, type EnterpriseView } from './enterprise-state';
import type { CreateEnterpriseDto, UpdateEnterpriseDto } from './dto/enterprise.dto';
import type {
  AddDesignationDto,
  AddShopDto,
  BlacklistDto,
  ChangeStatusDto,
  LiftBlacklistDto,
} from './dto/enterprise-changes.dto';
import type { ListEnterprisesQuery } from './dto/list-enterprises.query';

/** A shop with the enterprise that owns it, so that an order naming the shop finds its seller. */
export interface ShopView {
  platform: string;
  shopId: string;
  name: string;
  enterpriseId: string;
  enterpriseName: string;
  creditCode: string;
  registeredDivisionCode: string;
  enterpriseStatus: Enterprise['status'];
}

@Injectable()
export class EnterprisesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly state: EnterpriseState,
  ) {}

  /** Registers an enterprise: active from its registration date, version 1, one event. */
  async create(dto: CreateEnterpriseDto, actor?: Actor): Promise<EnterpriseView> {
    assertActorRegion(actor, dto.registeredDivisionCode, `Enterprise ${dto.creditCode}`);
    const carrierCode = dto.carrierCode ?? null;
    const logisticsRating = dto.logisticsRating ?? null;
    checkKindRules(dto.kinds, carrierCode, logisticsRating);
    notInFuture(dto.registeredOn, 'registeredOn');
    try {
      return await this.dataSource.transaction(async (tx) => {
        const existing = await tx.findOne(Enterprise, { where: { creditCode: dto.creditCode } });
        if (existing) throw creditCodeTaken(dto.creditCode, existing.id);
        await requireDivision(tx, dto.registeredDivisionCode, 'registeredDivisionCode', {
          countyOrFiner: true,
        });
        const now = new Date();
        const enterprise = tx.create(Enterprise, {
          id: randomUUID(),
          creditCode: dto.creditCode,
          name: dto.name.trim(),
          kinds: sortKinds(dto.kinds),
          carrierCode,
          logisticsRating,
          registeredDivisionCode: dto.registeredDivisionCode,
          registeredOn: dto.registeredOn,
          status: 'active',
          taxRegisteredLocally: dto.taxRegisteredLocally,
          independentLegalEntity: dto.independentLegalEntity,
          version: 1,
          createdAt: now,
          changedAt: now,
        });
        await tx.insert(Enterprise, enterprise);
        await tx.insert(EnterpriseStatusChange, {
          enterpriseId: enterprise.id,
          effectiveFrom: dto.registeredOn,
          status: 'active',
          recordedAt: now,
        });
        return this.state.publish(tx, enterprise, now);
      });
    } catch (error) {
      // Two registrations of one code at the same instant: the loser hears who won.
      if (isUniqueViolation(error, 'enterprise_credit_code_unique')) {
        const winner = await this.dataSource
          .getRepository(Enterprise)
          .findOneBy({ creditCode: dto.creditCode });
        if (winner) throw creditCodeTaken(dto.creditCode, winner.id);
      }
      throw error;
    }
  }

  async get(id: string): Promise<EnterpriseView> {
    return this.state.view(this.dataSource.manager, id);
  }

  async getByCreditCode(code: string): Promise<EnterpriseView> {
    const check = validateCreditCode(code);
    if (!check.ok) {
      throw new ProblemException(
        422,
        'invalid-credit-code',
        'Invalid credit code',
        `${code} is not a valid unified social credit code (GB 32100-2015): ${check.reason}.`,
      );
    }
    const enterprise = await this.dataSource
      .getRepository(Enterprise)
      .findOneBy({ creditCode: code });
    if (!enterprise) {
      throw new ProblemException(
        404,
        'enterprise-not-found',
        'Enterprise not found',
        `No enterprise is registered with credit code ${code}.`,
      );
    }
    return (await this.state.views(this.dataSource.manager, [enterprise]))[0];
  }

  /** Changes name, kinds, carrier code, rating, registered division or flags. */
  async update(id: string, dto: UpdateEnterpriseDto, actor?: Actor): Promise<EnterpriseView> {
    return this.dataSource.transaction(async (tx) => {
      const enterprise = await this.lockInRegion(tx, id, actor);
      const next = {
        name: dto.name?.trim() ?? enterprise.name,
        kinds: dto.kinds ? sortKinds(dto.kinds) : enterprise.kinds,
        carrierCode: dto.carrierCode === undefined ? enterprise.carrierCode : dto.carrierCode,
        logisticsRating:
          dto.logisticsRating === undefined ? enterprise.logisticsRating : dto.logisticsRating,
        registeredDivisionCode: dto.registeredDivisionCode ?? enterprise.registeredDivisionCode,
        taxRegisteredLocally: dto.taxRegisteredLocally ?? enterprise.taxRegisteredLocally,
        independentLegalEntity: dto.independentLegalEntity ?? enterprise.independentLegalEntity,
      };
      checkKindRules(next.kinds, next.carrierCode, next.logisticsRating);
      if (next.registeredDivisionCode !== enterprise.registeredDivisionCode) {
        assertActorRegion(
          actor,
          next.registeredDivisionCode,
          `Enterprise ${id}'s new registration`,
        );
        await requireDivision(tx, next.registeredDivisionCode, 'registeredDivisionCode', {
          countyOrFiner: true,
        });
      }
      const changed =
        next.name !== enterprise.name ||
        next.kinds.join(',') !== enterprise.kinds.join(',') ||
        next.carrierCode !== enterprise.carrierCode ||
        next.logisticsRating !== enterprise.logisticsRating ||
        next.registeredDivisionCode !== enterprise.registeredDivisionCode ||
        next.taxRegisteredLocally !== enterprise.taxRegisteredLocally ||
        next.independentLegalEntity !== enterprise.independentLegalEntity;
      if (!changed) return this.state.view(tx, id);
      Object.assign(enterprise, next);
      return this.state.commit(tx, enterprise, new Date());
    });
  }

  /** Appends a dated status; the history is append-only and never dated in the future. */
  async changeStatus(id: string, dto: ChangeStatusDto, actor?: Actor): Promise<EnterpriseView> {
    notInFuture(dto.effectiveFrom, 'effectiveFrom');
    return this.dataSource.transaction(async (tx) => {
      const enterprise = await this.lockInRegion(tx, id, actor);
      const latest = await tx.findOne(EnterpriseStatusChange, {
        where: { enterpriseId: id },
        order: { effectiveFrom: 'DESC' },
      });
      if (enterprise.status === 'deregistered') {
        throw new ProblemException(
          409,
          'enterprise-deregistered',
          'Enterprise deregistered',
          `Enterprise ${id} was deregistered (注销) from ${latest?.effectiveFrom ?? '?'}; a deregistered enterprise cannot change status — register the successor under its own credit code.`,
        );
      }
      if (dto.status === enterprise.status) {
        throw new ProblemException(
          409,
          'status-unchanged',
          'Status unchanged',
          `Enterprise ${id} is already ${dto.status} (since ${latest?.effectiveFrom ?? enterprise.registeredOn}).`,
        );
      }
      if (latest && dto.effectiveFrom <= latest.effectiveFrom) {
        throw new ProblemException(
          422,
          'status-history-order',
          'Status change out of order',
          `effectiveFrom ${dto.effectiveFrom} must be after the latest status change (${latest.status} from ${latest.effectiveFrom}); the status history only grows forward.`,
        );
      }
      const now = new Date();
      await tx.insert(EnterpriseStatusChange, {
        enterpriseId: id,
        effectiveFrom: dto.effectiveFrom,
        status: dto.status,
        recordedAt: now,
      });
      enterprise.status = dto.status;
      return this.state.commit(tx, enterprise, now);
    });
  }

  /** Lists the enterprise as 失信 from `from` (until `to`, exclusive, when given). */
  async blacklist(id: string, dto: BlacklistDto, actor?: Actor): Promise<EnterpriseView> {
    notInFuture(dto.from, 'from');
    const to = dto.to ?? null;
    if (to !== null && to <= dto.from) {
      throw new ProblemException(
        422,
        'blacklist-period-empty',
        'Blacklist period empty',
        `to ${to} must be after from ${dto.from}: it is the first day no longer blacklisted.`,
      );
    }
    return this.dataSource.transaction(async (tx) => {
      const enterprise = await this.lockInRegion(tx, id, actor);
      const periods = await tx.find(EnterpriseBlacklistPeriod, { where: { enterpriseId: id } });
      const overlapping = periods.find(
        (period) =>
          (to === null || period.startsOn < to) &&
          (period.endsOn === null || dto.from < period.endsOn),
      );
      if (overlapping) {
        throw new ProblemException(
          409,
          'blacklist-overlap',
          'Blacklist periods overlap',
          `Enterprise ${id} is already blacklisted from ${overlapping.startsOn} ${overlapping.endsOn ? `until ${overlapping.endsOn}` : '(open-ended)'} for "${overlapping.reason}"; lift or end that period first, or choose dates outside it.`,
        );
      }
      const now = new Date();
      await tx.insert(EnterpriseBlacklistPeriod, {
        enterpriseId: id,
        startsOn: dto.from,
        endsOn: to,
        reason: dto.reason.trim(),
        recordedAt: now,
      });
      return this.state.commit(tx, enterprise, now);
    });
  }

  /** Ends the blacklist period in effect on `on` (default today): `on` is no longer blacklisted. */
  async liftBlacklist(id: string, dto: LiftBlacklistDto, actor?: Actor): Promise<EnterpriseView> {
    const on = dto.on ?? shanghaiDay();
    return this.dataSource.transaction(async (tx) => {
      const enterprise = await this.lockInRegion(tx, id, actor);
      const periods = await tx.find(EnterpriseBlacklistPeriod, { where: { enterpriseId: id } });
      const current = periods.find(
        (period) => period.startsOn < on && (period.endsOn === null || on < period.endsOn),
      );
      if (!current) {
        const startsThatDay = periods.find((period) => period.startsOn === on);
        throw new ProblemException(
          409,
          'not-blacklisted',
          'Nothing to lift',
          startsThatDay
            ? `The blacklist period of enterprise ${id} starts on ${on}; a lift must come after its first day.`
            : `Enterprise ${id} has no blacklist period in effect on ${on}; nothing to lift.`,
        );
      }
      current.endsOn = on;
      await tx.save(EnterpriseBlacklistPeriod, current);
      return this.state.commit(tx, enterprise, new Date());
    });
  }

  /** 示范企业: one designation per level and year. */
  async addDesignation(id: string, dto: AddDesignationDto, actor?: Actor): Promise<EnterpriseView> {
    const thisYear = shanghaiYear();
    if (dto.year > thisYear) {
      throw new ProblemException(
        422,
        'designation-in-future',
        'Designation year in the future',
        `year ${dto.year} is after ${thisYear}; record a designation once it has been awarded.`,
      );
    }
    return this.dataSource.transaction(async (tx) => {
      const enterprise = await this.lockInRegion(tx, id, actor);
      const existing = await tx.findOne(EnterpriseDesignation, {
        where: { enterpriseId: id, level: dto.level, year: dto.year },
      });
      if (existing) {
        throw new ProblemException(
          409,
          'designation-exists',
          'Designation already recorded',
          `Enterprise ${id} already has the ${dto.level} designation of ${dto.year}${existing.title ? ` (${existing.title})` : ''}.`,
        );
      }
      const now = new Date();
      await tx.insert(EnterpriseDesignation, {
        enterpriseId: id,
        level: dto.level,
        year: dto.year,
        title: dto.title?.trim() ?? null,
        recordedAt: now,
      });
      return this.state.commit(tx, enterprise, now);
    });
  }

  /** Registers a shop; `created` is false when it was already this enterprise's. */
  async addShop(
    id: string,
    dto: AddShopDto,
    actor?: Actor,
  ): Promise<{ enterprise: EnterpriseView; created: boolean }> {
    try {
      return await this.dataSource.transaction(async (tx) => {
        const enterprise = await this.lockInRegion(tx, id, actor);
        if (enterprise.status === 'deregistered') {
          throw new ProblemException(
            409,
            'enterprise-deregistered',
            'Enterprise deregistered',
            `Enterprise ${id} is deregistered (注销); shops cannot be registered to it.`,
          );
        }
        const existing = await tx.findOne(Shop, {
          where: { platform: dto.platform, shopId: dto.shopId },
          lock: { mode: 'pessimistic_write' },
        });
        if (existing && existing.enterpriseId !== id) throw shopTaken(dto, existing.enterpriseId);
        const now = new Date();
        const name = dto.name.trim();
        if (existing) {
          if (existing.name === name) {
            return { enterprise: await this.state.view(tx, id), created: false };
          }
          existing.name = name;
          await tx.save(Shop, existing);
          return { enterprise: await this.state.commit(tx, enterprise, now), created: false };
        }
        await tx.insert(Shop, {
          platform: dto.platform,
          shopId: dto.shopId,
          enterpriseId: id,
          name,
          registeredAt: now,
        });
        return { enterprise: await this.state.commit(tx, enterprise, now), created: true };
      });
    } catch (error) {
      if (isUniqueViolation(error, 'shop_platform_shop_id')) {
        const owner = await this.dataSource
          .getRepository(Shop)
          .findOneBy({ platform: dto.platform, shopId: dto.shopId });
        if (owner) throw shopTaken(dto, owner.enterpriseId);
      }
      throw error;
    }
  }

  async removeShop(
    id: string,
    platform: string,
    shopId: string,
    actor?: Actor,
  ): Promise<EnterpriseView> {
    return this.dataSource.transaction(async (tx) => {
      const enterprise = await this.lockInRegion(tx, id, actor);
      const shop = await tx.findOne(Shop, { where: { platform, shopId, enterpriseId: id } });
      if (!shop) {
        throw new ProblemException(
          404,
          'shop-not-found',
          'Shop not found',
          `Enterprise ${id} has no shop ${shopId} on ${platform}.`,
        );
      }
      await tx.delete(Shop, { platform, shopId });
      return this.state.commit(tx, enterprise, new Date());
    });
  }

  async getShop(platform: string, shopId: string): Promise<ShopView> {
    const shop = await this.dataSource.getRepository(Shop).findOneBy({ platform, shopId });
    const enterprise = shop
      ? await this.dataSource.getRepository(Enterprise).findOneBy({ id: shop.enterpriseId })
      : null;
    if (!shop || !enterprise) {
      throw new ProblemException(
        404,
        'shop-not-found',
        'Shop not found',
        `No enterprise has registered shop ${shopId} on ${platform}; register it with POST /v1/enterprises/{id}/shops.`,
      );
    }
    return {
      platform: shop.platform,
      shopId: shop.shopId,
      name: shop.name,
      enterpriseId: enterprise.id,
      enterpriseName: enterprise.name,
      creditCode: enterprise.creditCode,
      registeredDivisionCode: enterprise.registeredDivisionCode,
      enterpriseStatus: enterprise.status,
    };
  }

  /** Filtered list ordered by credit code, cursor-paginated. */
  async list(query: ListEnterprisesQuery): Promise<Page<EnterpriseView>> {
    const limit = query.limit ?? 50;
    const builder = this.dataSource
      .getRepository(Enterprise)
      .createQueryBuilder('e')
      .orderBy('e.creditCode', 'ASC')
      .limit(limit + 1);
    if (query.cursor) {
      const after = decodeCursor<{ creditCode: string }>(query.cursor, ['creditCode']);
      builder.andWhere('e.creditCode > :after', { after: after.creditCode });
    }
    if (query.kind) builder.andWhere(':kind = ANY (e.kinds)', { kind: query.kind });
    if (query.divisionPrefix) {
      builder.andWhere('e.registeredDivisionCode LIKE :divisionPrefix', {
        divisionPrefix: `${query.divisionPrefix}%`,
      });
    }
    if (query.status) builder.andWhere('e.status = :status', { status: query.status });
    if (query.designation) {
      const [level, year] = query.designation.split(':');
      const conditions = ['d.enterprise_id = e.id'];
      const parameters: Record<string, string | number> = {};
      if (level !== 'any') {
        conditions.push('d.level = :designationLevel');
        parameters.designationLevel = level;
      }
      if (year !== undefined) {
        conditions.push('d.year = :designationYear');
        parameters.designationYear = Number(year);
      }
      builder.andWhere(
        `EXISTS (SELECT 1 FROM enterprise_designation d WHERE ${conditions.join(' AND ')})`,
        parameters,
      );
    }
    const text = query.q?.trim();
    if (text) {
      // LIKE's escape character is the backslash, so the text's own % and _ match literally.
      builder.andWhere('(e.name ILIKE :namePattern OR e.creditCode LIKE :codePrefix)', {
        namePattern: `%${escapeLike(text)}%`,
        codePrefix: `${escapeLike(text.toUpperCase())}%`,
      });
    }
    const rows = await builder.getMany();
    const page = toPage(rows, limit, (row) => ({ creditCode: row.creditCode }));
    return { ...page, items: await this.state.views(this.dataSource.manager, page.items) };
  }

  private async lockInRegion(
    tx: EntityManager,
    id: string,
    actor: Actor | undefined,
  ): Promise<Enterprise> {
    const enterprise = await this.state.lock(tx, id);
    assertActorRegion(actor, enterprise.registeredDivisionCode, `Enterprise ${id}`);
    return enterprise;
  }
}

/** `courier` needs a carrier code and only a courier has one; a rating needs `logistics`. */
export function checkKindRules(
  kinds: readonly EnterpriseKind[],
  carrierCode: string | null,
  logisticsRating: LogisticsRating | null,
): void {
  const courier = kinds.includes('courier');
  if (courier && carrierCode === null) {
    throw new ProblemException(
      422,
      'carrier-code-required',
      'Carrier code required',
      'A courier enterprise needs carrierCode, the short code of its express brand such as ZTO, YTO or SF.',
    );
  }
  if (!courier && carrierCode !== null) {
    throw new ProblemException(
      422,
      'carrier-code-not-allowed',
      'Carrier code without courier kind',
      `carrierCode ${carrierCode} is only for courier enterprises: add 'courier' to kinds, or send carrierCode null.`,
    );
  }
  if (logisticsRating !== null && !kinds.includes('logistics')) {
    throw new ProblemException(
      422,
      'logistics-rating-not-allowed',
      'Rating without logistics kind',
      `An A-level rating (${logisticsRating}, 物流企业综合评估) is only for logistics enterprises: add 'logistics' to kinds, or send logisticsRating null.`,
    );
  }
}

function notInFuture(day: string, field: string): void {
  assertNotInFuture(field, day, 'record a change once it has taken effect');
}

function creditCodeTaken(creditCode: string, existingId: string): ProblemException {
  return new ProblemException(
    409,
    'credit-code-taken',
    'Credit code already registered',
    `Credit code ${creditCode} is already registered as enterprise ${existingId}; change that enterprise with PATCH /v1/enterprises/${existingId}.`,
    { existingEnterpriseId: existingId },
  );
}

function shopTaken(shop: { platform: string; shopId: string }, ownerId: string): ProblemException {
  return new ProblemException(
    409,
    'shop-owned-by-another-enterprise',
    'Shop belongs to another enterprise',
    `Shop ${shop.shopId} on ${shop.platform} is registered to enterprise ${ownerId}; remove it there first (DELETE /v1/enterprises/${ownerId}/shops/${shop.platform}/${shop.shopId}).`,
    { ownerEnterpriseId: ownerId },
  );
}

function sortKinds(kinds: readonly EnterpriseKind[]): EnterpriseKind[] {
  return [...new Set(kinds)].sort();
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
