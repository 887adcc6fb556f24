import { Body, Param, Query, Res } from '@nestjs/common';
import {
  ANY_OFFICIAL,
  BearerController,
  Command,
  Create,
  CurrentPrincipal,
  Read,
  Remove,
  Update,
  type Principal,
} from '@ecomlog/auth';
import type { Response } from 'express';
import { PathParam, createdOrOk, uuidParamRule, type Page } from '@ecomlog/http';
import { CREDIT_CODE_SHAPE } from '@ecomlog/contracts';
import { EnterprisesService, type ShopView } from './enterprises.service';
import type { EnterpriseView } from './enterprise-state';
import { CreateEnterpriseDto, UpdateEnterpriseDto } from './dto/enterprise.dto';
import {
  AddDesignationDto,
  AddShopDto,
  BlacklistDto,
  ChangeStatusDto,
  LiftBlacklistDto,
} from './dto/enterprise-changes.dto';
import { ListEnterprisesQuery } from './dto/list-enterprises.query';

const ENTERPRISE_ID = uuidParamRule('enterprise');

/** The shape is checked here (400); the check character by the service (422 with the reason). */
const CREDIT_CODE_PARAM = {
  pattern: CREDIT_CODE_SHAPE,
  problemType: 'invalid-credit-code',
  title: 'Invalid credit code',
  detail: (value: string) =>
    `"${value}" is not a unified social credit code (GB 32100-2015): 18 characters, upper case, such as 91640521MA76L6QK0K.`,
  description: '统一社会信用代码 (GB 32100-2015)',
  example: '91640521MA76L6QK0K',
};

/** Writes pass the official as actor: the service refuses divisions outside their region. */
@BearerController('v1/enterprises', { tag: 'enterprises' })
export class EnterprisesController {
  constructor(private readonly enterprises: EnterprisesService) {}

  @Create({
    roles: ['commerce'],
    summary: 'Register an enterprise (统一社会信用代码 validated, unique)',
  })
  create(
    @Body() body: CreateEnterpriseDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<EnterpriseView> {
    return this.enterprises.create(body, actor);
  }

  @Read({
    summary: 'Enterprises filtered by kind, division prefix, status, designation and text',
  })
  list(@Query() query: ListEnterprisesQuery): Promise<Page<EnterpriseView>> {
    return this.enterprises.list(query);
  }

  @Read('by-credit-code/:code', {
    summary: 'The enterprise with this unified social credit code',
  })
  byCreditCode(@PathParam('code', CREDIT_CODE_PARAM) code: string): Promise<EnterpriseView> {
    return this.enterprises.getByCreditCode(code);
  }

  @Read(':id', { summary: 'One enterprise with its histories, designations, shops and brands' })
  get(@PathParam('id', ENTERPRISE_ID) id: string): Promise<EnterpriseView> {
    return this.enterprises.get(id);
  }

  @Update(':id', {
    roles: ['commerce'],
    summary: 'Change name, kinds, carrier code, logistics rating, registered division or flags',
  })
  update(
    @PathParam('id', ENTERPRISE_ID) id: string,
    @Body() body: UpdateEnterpriseDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<EnterpriseView> {
    return this.enterprises.update(id, body, actor);
  }

  @Command(':id/status', {
    roles: ['commerce'],
    summary: 'Record a dated status change (active / suspended / deregistered)',
  })
  changeStatus(
    @PathParam('id', ENTERPRISE_ID) id: string,
    @Body() body: ChangeStatusDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<EnterpriseView> {
    return this.enterprises.changeStatus(id, body, actor);
  }

  @Create(':id/blacklist', {
    roles: ['commerce'],
    summary: 'Blacklist (失信) from a day, optionally until a day, with a reason',
  })
  blacklist(
    @PathParam('id', ENTERPRISE_ID) id: string,
    @Body() body: BlacklistDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<EnterpriseView> {
    return this.enterprises.blacklist(id, body, actor);
  }

  @Command(':id/blacklist/lift', {
    roles: ['commerce'],
    summary: 'End the blacklist period in effect (from `on`, default today)',
  })
  liftBlacklist(
    @PathParam('id', ENTERPRISE_ID) id: string,
    @Body() body: LiftBlacklistDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<EnterpriseView> {
    return this.enterprises.liftBlacklist(id, body, actor);
  }

  @Create(':id/designations', {
    roles: ['commerce'],
    summary: 'Record a demonstration-enterprise designation (示范企业)',
  })
  addDesignation(
    @PathParam('id', ENTERPRISE_ID) id: string,
    @Body() body: AddDesignationDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<EnterpriseView> {
    return this.enterprises.addDesignation(id, body, actor);
  }

  @Create(':id/shops', {
    roles: ['commerce'],
    summary: 'Register a shop (platform, shopId); 200 when it was already here',
  })
  async addShop(
    @PathParam('id', ENTERPRISE_ID) id: string,
    @Body() body: AddShopDto,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() actor: Principal,
  ): Promise<EnterpriseView> {
    const { enterprise, created } = await this.enterprises.addShop(id, body, actor);
    return createdOrOk(response, created, enterprise);
  }

  @Remove(':id/shops/:platform/:shopId', {
    roles: ['commerce'],
    summary: 'Remove a shop from this enterprise',
  })
  removeShop(
    @PathParam('id', ENTERPRISE_ID) id: string,
    @Param('platform') platform: string,
    @Param('shopId') shopId: string,
    @CurrentPrincipal() actor: Principal,
  ): Promise<EnterpriseView> {
    return this.enterprises.removeShop(id, platform, shopId, actor);
  }
}

@BearerController('v1/shops', { tag: 'enterprises', roles: ANY_OFFICIAL, clients: ['platform'] })
export class ShopsController {
  constructor(private readonly enterprises: EnterprisesService) {}

  @Read(':platform/:shopId', { summary: 'A shop and the enterprise that owns it' })
  get(@Param('platform') platform: string, @Param('shopId') shopId: string): Promise<ShopView> {
    return this.enterprises.getShop(platform, shopId);
  }
}
