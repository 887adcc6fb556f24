import { Body, Query } from '@nestjs/common';
import {
  BearerController,
  Command,
  Create,
  CurrentPrincipal,
  Read,
  Update,
  type Principal,
} from '@ecomlog/auth';
import { PathParam, uuidParamRule, type Page } from '@ecomlog/http';
import { CreateSiteDto } from './dto/create-site.dto';
import { UpdateSiteDto } from './dto/update-site.dto';
import { AsOfQuery, ChangeSiteStatusDto, ListSitesQuery } from './dto/site-queries.dto';
import { SitesService, type SiteView } from './sites.service';

const SITE_ID = uuidParamRule('site');

/**
 * Writes need commerce or postal (admin always); any official reads. Officials see and change only
 * sites inside their region.
 */
@BearerController('v1/sites', { tag: 'sites' })
export class SitesController {
  constructor(private readonly sites: SitesService) {}

  @Create({
    roles: ['commerce', 'postal'],
    summary:
      'Register a site: the division must fit the kind, the operator be an active registered enterprise, carriers active couriers',
  })
  create(@Body() body: CreateSiteDto, @CurrentPrincipal() actor: Principal): Promise<SiteView> {
    return this.sites.create(actor, body);
  }

  @Read({
    summary:
      'Sites in your region as of a day, by kind, division prefix, status, operator, carrier',
  })
  list(
    @Query() query: ListSitesQuery,
    @CurrentPrincipal() actor: Principal,
  ): Promise<Page<SiteView>> {
    return this.sites.list(actor, query);
  }

  @Read(':id', { summary: 'One site as of a day (default today), with its status history' })
  get(
    @PathParam('id', SITE_ID) id: string,
    @Query() query: AsOfQuery,
    @CurrentPrincipal() actor: Principal,
  ): Promise<SiteView> {
    return this.sites.get(actor, id, query.asOf);
  }

  @Update(':id', {
    roles: ['commerce', 'postal'],
    summary:
      'Change name, division, operator, carriers, services, capacity, address, location or flags',
  })
  update(
    @PathParam('id', SITE_ID) id: string,
    @Body() body: UpdateSiteDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<SiteView> {
    return this.sites.update(actor, id, body);
  }

  @Command(':id/status', {
    roles: ['commerce', 'postal'],
    summary:
      'Record a dated status (may be back-dated); the history must stay a valid sequence, one entry per day',
  })
  changeStatus(
    @PathParam('id', SITE_ID) id: string,
    @Body() body: ChangeSiteStatusDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<SiteView> {
    return this.sites.changeStatus(actor, id, body);
  }
}
