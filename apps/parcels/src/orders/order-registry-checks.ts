import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DivisionChanged, EnterpriseChanged, type FieldProblem } from '@ecomlog/contracts';
import { isWithin, prefixOfCode } from '@ecomlog/kernel';
import { DIVISION_READ_MODEL_GROUP } from '../read-models/division-read-model.consumer';
import { ENTERPRISE_READ_MODEL_GROUP } from '../read-models/enterprise-read-model.consumer';
import type { OrderInput, SellerCheckedOrder } from './order-input';
import { FRESHNESS_CACHE_MS, ReadModelFreshness } from './read-model-freshness';

/** An order the registry vouches for: its seller enterprise and a seller division inside it. */
export interface VouchedOrder {
  ok: true;
  order: SellerCheckedOrder;
  enterpriseId: string;
}

/** Why the door cannot take an order (yet). */
export interface RegistryRefusal {
  ok: false;
  /** retry-later: the read model is behind, the same post may succeed in a moment. */
  outcome: 'rejected' | 'retry-later';
  reason: string;
  problems: FieldProblem[];
}

export type RegistryVerdict = VouchedOrder | RegistryRefusal;

interface KnownSeller {
  enterpriseId: string;
  name: string;
  registeredDivisionCode: string;
}

/**
 * SPEC 10.1 at the order door: a door records only facts the registry vouches for. The seller
 * (by shop or credit code) must be an enterprise of the registry read model, selling from inside
 * its registered division, and every division the order names must exist. "Not known" is only
 * said when the read model in question has consumed its whole topic; otherwise the item is
 * answered retry-later (see ReadModelFreshness and the README's "Orders and the registry").
 */
@Injectable()
export class OrderRegistryChecks {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly freshness: ReadModelFreshness,
  ) {}

  /** One verdict per order, in the same order. Read-only: runs before the intake transaction. */
  async check(orders: OrderInput[]): Promise<RegistryVerdict[]> {
    const sellers = await this.sellersOf(orders);
    const divisions = await this.knownDivisions(
      orders.flatMap((order, i) => {
        const seller = sellers[i];
        const codes = [order.sellerDivisionCode ?? seller?.registeredDivisionCode];
        if (order.buyerDivisionCode !== undefined) codes.push(order.buyerDivisionCode);
        return codes.filter((code): code is string => code !== undefined);
      }),
    );
    const caughtUp = {
      enterprises: () =>
        this.freshness.isCaughtUp(ENTERPRISE_READ_MODEL_GROUP, EnterpriseChanged.topic.name),
      divisions: () =>
        this.freshness.isCaughtUp(DIVISION_READ_MODEL_GROUP, DivisionChanged.topic.name),
    };
    const verdicts: RegistryVerdict[] = [];
    for (const [i, order] of orders.entries()) {
      verdicts.push(await this.verdict(order, sellers[i], divisions, caughtUp));
    }
    return verdicts;
  }

  private async verdict(
    order: OrderInput,
    seller: KnownSeller | undefined,
    divisions: Set<string>,
    caughtUp: { enterprises: () => Promise<boolean>; divisions: () => Promise<boolean> },
  ): Promise<RegistryVerdict> {
    if (!seller) {
      if (!(await caughtUp.enterprises())) {
        return retryLater(
          order.shopId !== undefined ? 'shopId' : 'sellerCreditCode',
          `${describeSeller(order)} is not in this service's copy of the registry yet, and that copy is still catching up with registry.enterprises.v1 (an enterprise or shop registered moments ago); post the same order again in a few seconds`,
        );
      }
      return order.shopId !== undefined
        ? refused(
            'unknown-shop',
            'shopId',
            `platform ${order.platform} has no shop ${order.shopId} in the registry; register the shop with its enterprise, or name sellerCreditCode`,
            `unknown shop ${order.platform}/${order.shopId}`,
          )
        : refused(
            'unknown-seller',
            'sellerCreditCode',
            `no enterprise with credit code ${order.sellerCreditCode ?? ''} is registered; register the seller in the registry (POST /v1/enterprises) and post the order again`,
            `not a registered enterprise: ${order.sellerCreditCode ?? ''}`,
          );
    }
    const sellerDivisionCode = order.sellerDivisionCode ?? seller.registeredDivisionCode;
    if (!isWithin(sellerDivisionCode, seller.registeredDivisionCode)) {
      return refused(
        'seller-division-mismatch',
        'sellerDivisionCode',
        `seller ${seller.name} is registered in division ${seller.registeredDivisionCode}, and ${sellerDivisionCode} does not lie inside it (its code must start with ${prefixOfCode(seller.registeredDivisionCode)}); send the division the seller sells from, or omit sellerDivisionCode to use the registered one`,
        `must lie inside ${seller.registeredDivisionCode} (start with ${prefixOfCode(seller.registeredDivisionCode)})`,
      );
    }
    const named: [string, string][] = [['sellerDivisionCode', sellerDivisionCode]];
    if (order.buyerDivisionCode !== undefined) {
      named.push(['buyerDivisionCode', order.buyerDivisionCode]);
    }
    for (const [path, code] of named) {
      if (divisions.has(code)) continue;
      if (!(await caughtUp.divisions())) {
        return retryLater(
          path,
          `division ${code} is not in this service's copy of the registry yet, and that copy is still catching up with registry.divisions.v1; post the same order again in a few seconds`,
        );
      }
      return refused(
        'unknown-division',
        path,
        `${path} ${code} is not a division of the registry (统计用区划代码); send an existing 12-digit code, or have an administrator import or create the division in the registry first`,
        `unknown division ${code}`,
      );
    }
    return {
      ok: true,
      order: { ...order, sellerDivisionCode },
      enterpriseId: seller.enterpriseId,
    };
  }

  /** The seller of each order from the enterprises read model (undefined: not known). */
  private async sellersOf(orders: OrderInput[]): Promise<(KnownSeller | undefined)[]> {
    const withShop = orders.filter((o) => o.shopId !== undefined);
    const shops = await this.dataSource.query<
      {
        platform: string;
        shop_id: string;
        id: string;
        name: string;
        registered_division_code: string;
      }[]
    >(
      `SELECT s.platform, s.shop_id, e.id, e.name, e.registered_division_code
       FROM known_shop s
       JOIN unnest($1::text[], $2::text[]) AS k(platform, shop_id)
         ON s.platform = k.platform AND s.shop_id = k.shop_id
       JOIN known_enterprise e ON e.id = s.enterprise_id`,
      [withShop.map((o) => o.platform), withShop.map((o) => o.shopId ?? '')],
    );
    const byShop = new Map(shops.map((row) => [`${row.platform}:${row.shop_id}`, seller(row)]));
    const codes = orders.flatMap((o) => (o.shopId === undefined ? (o.sellerCreditCode ?? []) : []));
    const enterprises = await this.dataSource.query<
      { id: string; name: string; credit_code: string; registered_division_code: string }[]
    >(
      `SELECT id, name, credit_code, registered_division_code FROM known_enterprise
       WHERE credit_code = ANY($1::char(18)[])`,
      [codes],
    );
    const byCode = new Map(enterprises.map((row) => [row.credit_code, seller(row)]));
    return orders.map((o) =>
      o.shopId !== undefined
        ? byShop.get(`${o.platform}:${o.shopId}`)
        : byCode.get(o.sellerCreditCode ?? ''),
    );
  }

  private async knownDivisions(codes: string[]): Promise<Set<string>> {
    const unique = [...new Set(codes)];
    if (unique.length === 0) return new Set();
    const rows = await this.dataSource.query<{ code: string }[]>(
      'SELECT code FROM known_division WHERE code = ANY($1::char(12)[])',
      [unique],
    );
    return new Set(rows.map((row) => row.code));
  }
}

function seller(row: { id: string; name: string; registered_division_code: string }): KnownSeller {
  return {
    enterpriseId: row.id,
    name: row.name,
    registeredDivisionCode: row.registered_division_code,
  };
}

function describeSeller(order: OrderInput): string {
  return order.shopId !== undefined
    ? `shop ${order.platform}/${order.shopId}`
    : `seller ${order.sellerCreditCode ?? ''}`;
}

function refused(slug: string, path: string, detail: string, message: string): RegistryRefusal {
  return {
    ok: false,
    outcome: 'rejected',
    reason: `${slug}: ${detail}`,
    problems: [{ path, message }],
  };
}

function retryLater(path: string, detail: string): RegistryRefusal {
  return {
    ok: false,
    outcome: 'retry-later',
    reason: `retry-later: ${detail}`,
    problems: [
      {
        path,
        message: `not known yet; the registry copy is behind (checked at most ${FRESHNESS_CACHE_MS} ms ago)`,
      },
    ],
  };
}
