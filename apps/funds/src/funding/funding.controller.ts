import { Body, Query } from '@nestjs/common';
import { BearerController, Create, CurrentPrincipal, Read, type Principal } from '@ecomlog/auth';
import {
  DEFAULT_PAGE_LIMIT,
  PathParam,
  decodeCursor,
  toPage,
  uuidParamRule,
  type Page,
} from '@ecomlog/http';
import { ContractsService } from '../contracts/contracts.service';
import { notFound, uuidParam } from '../shared/problems';
import {
  CreateAllocationDto,
  CreateProgramDto,
  CreateSourceDto,
  ListFundingQuery,
} from './dto/funding.dto';
import {
  FundingService,
  type AllocationView,
  type ProgramSummary,
  type SourceView,
} from './funding.service';

/** A program with its figures and its contracts' tranche statuses (the dashboard's one call). */
export interface ProgramDashboardItem extends ProgramSummary {
  contracts: {
    id: string;
    title: string;
    contractorEnterpriseId: string;
    contractorName: string;
    amountFen: number;
    paidFen: number;
    status: string;
    tranches: {
      id: string;
      sequence: number;
      label: string;
      amountFen: number;
      condition: string;
      status: string;
      conditionMet: boolean;
      payable: boolean;
    }[];
  }[];
}

@BearerController('v1/sources', { tag: 'sources' })
export class SourcesController {
  constructor(private readonly funding: FundingService) {}

  @Create({
    roles: ['commerce'],
    summary: 'Register a funding source (central / provincial / municipal / county budget line)',
  })
  create(@Body() body: CreateSourceDto, @CurrentPrincipal() actor: Principal): Promise<SourceView> {
    return this.funding.createSource(actor, body);
  }

  @Read({
    summary: 'Sources in your region with allocated and remaining amounts (from the journal)',
  })
  list(
    @Query() query: ListFundingQuery,
    @CurrentPrincipal() actor: Principal,
  ): Promise<SourceView[]> {
    return this.funding.listSources(actor, query);
  }

  @Read(':id', { summary: 'One source with allocated and remaining amounts' })
  get(
    @PathParam('id', uuidParamRule('funding source', 'invalid-id')) id: string,
    @CurrentPrincipal() actor: Principal,
  ): Promise<SourceView> {
    return this.funding.getSource(actor, id);
  }
}

@BearerController('v1/programs', { tag: 'programs' })
export class ProgramsController {
  constructor(
    private readonly funding: FundingService,
    private readonly contracts: ContractsService,
  ) {}

  @Create({
    roles: ['commerce'],
    summary: 'Create a program (e.g. 电子商务进农村综合示范) for a region',
  })
  create(
    @Body() body: CreateProgramDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<ProgramSummary> {
    return this.funding.createProgram(actor, body);
  }

  @Read({
    summary:
      'Programs in your region (cursor-paginated by division, id) with allocated / committed / disbursed (fen), disbursement rate, sources, and every contract with its tranche statuses',
  })
  async list(
    @Query() query: ListFundingQuery,
    @CurrentPrincipal() actor: Principal,
  ): Promise<Page<ProgramDashboardItem>> {
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const programs = await this.funding.programSummaries(actor, {
      divisionPrefix: query.divisionPrefix,
      year: query.year,
      after: query.cursor
        ? decodeCursor<{ divisionCode: string; id: string }>(query.cursor, ['divisionCode', 'id'])
        : undefined,
      limit: limit + 1,
    });
    return toPage(await this.withContracts(actor, programs), limit, (program) => ({
      divisionCode: program.divisionCode,
      id: program.id,
    }));
  }

  @Read(':id', { summary: 'One program with its figures and contracts' })
  async get(
    @PathParam('id', uuidParamRule('program', 'invalid-id')) id: string,
    @CurrentPrincipal() actor: Principal,
  ): Promise<ProgramDashboardItem> {
    const programs = await this.funding.programSummaries(actor, {
      ids: [id],
    });
    const [item] = await this.withContracts(actor, programs);
    if (!item) throw notFound('program', id);
    return item;
  }

  private async withContracts(
    actor: Principal,
    programs: ProgramSummary[],
  ): Promise<ProgramDashboardItem[]> {
    const items: ProgramDashboardItem[] = [];
    for (const program of programs) {
      const contracts = await this.contracts.list(actor, program.id);
      items.push({
        ...program,
        contracts: contracts.map((c) => ({
          id: c.id,
          title: c.title,
          contractorEnterpriseId: c.contractorEnterpriseId,
          contractorName: c.contractorName,
          amountFen: c.amountFen,
          paidFen: c.paidFen,
          status: c.status,
          tranches: c.tranches.map((t) => ({
            id: t.id,
            sequence: t.sequence,
            label: t.label,
            amountFen: t.amountFen,
            condition: t.condition.kind,
            status: t.status,
            conditionMet: t.conditionMet,
            payable: t.payable,
          })),
        })),
      });
    }
    return items;
  }
}

@BearerController('v1/allocations', { tag: 'allocations' })
export class AllocationsController {
  constructor(private readonly funding: FundingService) {}

  @Create({
    roles: ['commerce'],
    summary:
      'Allocate source money to a program; refused (409, with both figures) beyond what the source has left',
  })
  create(
    @Body() body: CreateAllocationDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<AllocationView> {
    return this.funding.allocate(actor, body);
  }

  @Read({ summary: 'Allocations in your region, by program and/or source' })
  list(
    @Query('programId') programId: string | undefined,
    @Query('sourceId') sourceId: string | undefined,
    @CurrentPrincipal() actor: Principal,
  ): Promise<AllocationView[]> {
    return this.funding.listAllocations(
      actor,
      programId === undefined ? undefined : uuidParam(programId, 'program'),
      sourceId === undefined ? undefined : uuidParam(sourceId, 'funding source'),
    );
  }
}
