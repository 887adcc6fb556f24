import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClientKinds, CurrentPrincipal, Roles, type Principal } from '@ecomlog/auth';
import type { Response } from 'express';
import { ProblemException, type Page } from '@ecomlog/http';
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function uuidParam(value: string, what: string): string {
  if (!UUID.test(value)) {
    throw new ProblemException(
      400,
      `invalid-${what}-id`,
      `Invalid ${what} id`,
      `"${value}" is not a ${what} id (a UUID such as 0b6f6a8e-4c1d-4f7e-9a51-3e2d7c9b1f20).`,
    );
  }
  return value.toLowerCase();
}

const enterpriseId = (id: string): string => uuidParam(id, 'enterprise');

/** Writes pass the official as actor: the service refuses divisions outside their region. */
@ApiTags('enterprises')
@ApiBearerAuth()
@Controller('v1/enterprises')
export class EnterprisesController {
  constructor(private readonly enterprises: EnterprisesService) {}

  @Post()
  @Roles('commerce')
  @ApiOperation({ summary: 'Register an enterprise (统一社会信用代码 validated, unique)' })
  create(
    @Body() body: CreateEnterpriseDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<EnterpriseView> {
    return this.enterprises.create(body, actor);
  }

  @Get()
  @ApiOperation({
    summary: 'Enterprises filtered by kind, division prefix, status, designation and text',
  })
  list(@Query() query: ListEnterprisesQuery): Promise<Page<EnterpriseView>> {
    return this.enterprises.list(query);
  }

  @Get('by-credit-code/:code')
  @ApiOperation({ summary: 'The enterprise with this unified social credit code' })
  byCreditCode(@Param('code') code: string): Promise<EnterpriseView> {
    return this.enterprises.getByCreditCode(code);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One enterprise with its histories, designations, shops and brands' })
  get(@Param('id') id: string): Promise<EnterpriseView> {
    return this.enterprises.get(enterpriseId(id));
  }

  @Patch(':id')
  @Roles('commerce')
  @ApiOperation({
    summary: 'Change name, kinds, carrier code, logistics rating, registered division or flags',
  })
  update(
    @Param('id') id: string,
    @Body() body: UpdateEnterpriseDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<EnterpriseView> {
    return this.enterprises.update(enterpriseId(id), body, actor);
  }

  @Post(':id/status')
  @Roles('commerce')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Record a dated status change (active / suspended / deregistered)' })
  changeStatus(
    @Param('id') id: string,
    @Body() body: ChangeStatusDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<EnterpriseView> {
    return this.enterprises.changeStatus(enterpriseId(id), body, actor);
  }

  @Post(':id/blacklist')
  @Roles('commerce')
  @ApiOperation({ summary: 'Blacklist (失信) from a day, optionally until a day, with a reason' })
  blacklist(
    @Param('id') id: string,
    @Body() body: BlacklistDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<EnterpriseView> {
    return this.enterprises.blacklist(enterpriseId(id), body, actor);
  }

  @Post(':id/blacklist/lift')
  @Roles('commerce')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'End the blacklist period in effect (from `on`, default today)' })
  liftBlacklist(
    @Param('id') id: string,
    @Body() body: LiftBlacklistDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<EnterpriseView> {
    return this.enterprises.liftBlacklist(enterpriseId(id), body, actor);
  }

  @Post(':id/designations')
  @Roles('commerce')
  @ApiOperation({ summary: 'Record a demonstration-enterprise designation (示范企业)' })
  addDesignation(
    @Param('id') id: string,
    @Body() body: AddDesignationDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<EnterpriseView> {
    return this.enterprises.addDesignation(enterpriseId(id), body, actor);
  }

  @Post(':id/shops')
  @Roles('commerce')
  @ApiOperation({ summary: 'Register a shop (platform, shopId); 200 when it was already here' })
  async addShop(
    @Param('id') id: string,
    @Body() body: AddShopDto,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() actor: Principal,
  ): Promise<EnterpriseView> {
    const { enterprise, created } = await this.enterprises.addShop(enterpriseId(id), body, actor);
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return enterprise;
  }

  @Delete(':id/shops/:platform/:shopId')
  @Roles('commerce')
  @ApiOperation({ summary: 'Remove a shop from this enterprise' })
  removeShop(
    @Param('id') id: string,
    @Param('platform') platform: string,
    @Param('shopId') shopId: string,
    @CurrentPrincipal() actor: Principal,
  ): Promise<EnterpriseView> {
    return this.enterprises.removeShop(enterpriseId(id), platform, shopId, actor);
  }
}

@ApiTags('enterprises')
@ApiBearerAuth()
@ClientKinds('platform')
@Roles('commerce', 'postal', 'auditor', 'viewer')
@Controller('v1/shops')
export class ShopsController {
  constructor(private readonly enterprises: EnterprisesService) {}

  @Get(':platform/:shopId')
  @ApiOperation({ summary: 'A shop and the enterprise that owns it' })
  get(@Param('platform') platform: string, @Param('shopId') shopId: string): Promise<ShopView> {
    return this.enterprises.getShop(platform, shopId);
  }
}
