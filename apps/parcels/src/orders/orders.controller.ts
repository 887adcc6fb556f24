import { Body } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiExtraModels } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import {
  ANY_OFFICIAL,
  BearerController,
  Command,
  CurrentPrincipal,
  Read,
  assertOwnPlatform,
  regionOf,
  type Principal,
} from '@ecomlog/auth';
import { BatchItems, PathParam, ProblemException, checkBatchSize } from '@ecomlog/http';
import {
  CARRIER_PARAM,
  ORDER_NO_PARAM,
  PLATFORM_PARAM,
  WAYBILL_NO_PARAM,
} from '../domain/path-params';
import { OrderInput } from './order-input';
import {
  MAX_ORDERS_PER_REQUEST,
  OrderIntakeService,
  type OrderIntakeReport,
} from './order-intake.service';

export class SubmitOrdersDto {
  @BatchItems(OrderInput, { max: MAX_ORDERS_PER_REQUEST, items: 'order revisions' })
  orders!: unknown[];
}

export interface OrderView {
  platform: string;
  orderNo: string;
  revision: number;
  enterpriseId: string | null;
  /** The stored revision exactly as posted. */
  order: OrderInput;
  waybills: { carrier: string; waybillNo: string }[];
  updatedAt: string;
}

export interface LinkedOrder {
  platform: string;
  orderNo: string;
  revision: number;
  status: string;
}

@BearerController('v1', { tag: 'orders' })
@ApiExtraModels(OrderInput)
export class OrdersController {
  constructor(
    private readonly intake: OrderIntakeService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Command('orders', {
    clients: ['platform'],
    summary:
      "Platform order intake: up to 1,000 order revisions, answered per item (accepted / duplicate / rejected with reason / retry-later); the seller must be a registered enterprise inside its registered division, every division code known to the registry; only the token's own platform",
  })
  submit(
    @Body() body: SubmitOrdersDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<OrderIntakeReport> {
    checkBatchSize(body.orders, MAX_ORDERS_PER_REQUEST, 'order');
    return this.intake.submit(body.orders, principal);
  }

  @Read('orders/:platform/:orderNo', {
    roles: ANY_OFFICIAL,
    clients: ['platform'],
    summary:
      "An order's latest revision and its waybills (officials of the seller's region; the owning platform)",
  })
  async order(
    @PathParam('platform', PLATFORM_PARAM) platform: string,
    @PathParam('orderNo', ORDER_NO_PARAM) orderNo: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<OrderView> {
    assertOwnPlatform(principal, platform);
    const region = regionOf(principal);
    const [row] = await this.dataSource.query<
      {
        revision: number;
        enterprise_id: string | null;
        body: OrderInput;
        waybills: { carrier: string; waybillNo: string }[];
        updated_at: string;
      }[]
    >(
      `SELECT o.revision, o.enterprise_id, o.body,
              to_char(o.updated_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS.MS"+08:00"') AS updated_at,
              COALESCE((SELECT json_agg(json_build_object('carrier', w.carrier, 'waybillNo', w.waybill_no)
                                        ORDER BY w.carrier, w.waybill_no)
                        FROM order_waybill w
                        WHERE w.platform = o.platform AND w.order_no = o.order_no), '[]') AS waybills
       FROM sales_order o
       WHERE o.platform = $1 AND o.order_no = $2 AND o.seller_division_code LIKE $3 || '%'`,
      [platform, orderNo, region],
    );
    if (!row) {
      throw new ProblemException(
        404,
        'order-not-found',
        'Order not found',
        `No order ${platform} ${orderNo}${region ? ` with a seller in region ${region}` : ''}.`,
      );
    }
    return {
      platform,
      orderNo,
      revision: row.revision,
      enterpriseId: row.enterprise_id,
      order: row.body,
      waybills: row.waybills,
      updatedAt: row.updated_at,
    };
  }

  @Read('parcels/:carrier/:waybillNo/orders', {
    roles: ANY_OFFICIAL,
    clients: ['platform'],
    summary:
      'Orders whose latest revision names this waybill (officials: sellers in their region; a platform: its own orders)',
  })
  async linkedOrders(
    @PathParam('carrier', CARRIER_PARAM) carrier: string,
    @PathParam('waybillNo', WAYBILL_NO_PARAM) waybillNo: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ carrier: string; waybillNo: string; orders: LinkedOrder[] }> {
    const region = regionOf(principal);
    const platform = principal.kind === 'platform' ? (principal.platformCode ?? '') : null;
    const orders = await this.dataSource.query<LinkedOrder[]>(
      `SELECT o.platform, o.order_no AS "orderNo", o.revision, o.status
       FROM order_waybill w
       JOIN sales_order o ON o.platform = w.platform AND o.order_no = w.order_no
       WHERE w.carrier = $1 AND w.waybill_no = $2
         AND o.seller_division_code LIKE $3 || '%'
         AND ($4::text IS NULL OR o.platform = $4)
       ORDER BY o.platform, o.order_no`,
      [carrier, waybillNo, region, platform],
    );
    return { carrier, waybillNo, orders };
  }
}
