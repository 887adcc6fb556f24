import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { PathParam, uuidParamRule } from '@ecomlog/http';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ecomlog/auth';
import { DecisionDto, RejectDto } from '../contracts/dto/contract.dto';
import { uuidParam } from '../shared/problems';
import {
  CreateSubsidyApplicationDto,
  CreateSubsidyPolicyDto,
  ListSubsidyApplicationsQuery,
} from './dto/subsidy.dto';
import {
  SubsidiesService,
  type SubsidyApplicationView,
  type SubsidyPolicyView,
} from './subsidies.service';

@ApiTags('subsidies')
@ApiBearerAuth()
@Controller('v1/subsidy-policies')
export class SubsidyPoliciesController {
  constructor(private readonly subsidies: SubsidiesService) {}

  @Post()
  @Roles('commerce')
  @ApiOperation({ summary: 'Create a 奖补 policy with eligibility rules for a program' })
  create(
    @Body() body: CreateSubsidyPolicyDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<SubsidyPolicyView> {
    return this.subsidies.createPolicy(actor, body);
  }

  @Get()
  list(
    @Query('programId') programId: string | undefined,
    @CurrentPrincipal() actor: Principal,
  ): Promise<{ items: SubsidyPolicyView[] }> {
    return this.subsidies
      .listPolicies(actor, programId === undefined ? undefined : uuidParam(programId, 'program'))
      .then((items) => ({ items }));
  }
}

@ApiTags('subsidies')
@ApiBearerAuth()
@Controller('v1/subsidy-applications')
export class SubsidyApplicationsController {
  constructor(private readonly subsidies: SubsidiesService) {}

  @Post()
  @Roles('commerce')
  @ApiOperation({
    summary:
      'File an application: every eligibility rule is evaluated and recorded (eligible / ineligible)',
  })
  apply(
    @Body() body: CreateSubsidyApplicationDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<SubsidyApplicationView> {
    return this.subsidies.apply(actor, body);
  }

  @Get()
  list(
    @Query() query: ListSubsidyApplicationsQuery,
    @CurrentPrincipal() actor: Principal,
  ): Promise<{ items: SubsidyApplicationView[] }> {
    return this.subsidies
      .list(actor, query.policyId?.toLowerCase(), query.status)
      .then((items) => ({ items }));
  }

  @Get(':id')
  get(
    @PathParam('id', uuidParamRule('subsidy application', 'invalid-id')) id: string,
    @CurrentPrincipal() actor: Principal,
  ): Promise<SubsidyApplicationView> {
    return this.subsidies.get(actor, id);
  }

  @Post(':id/evaluate')
  @Roles('commerce')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Evaluate an undecided application again (e.g. once a sales figure arrived)',
  })
  evaluate(
    @PathParam('id', uuidParamRule('subsidy application', 'invalid-id')) id: string,
    @CurrentPrincipal() actor: Principal,
  ): Promise<SubsidyApplicationView> {
    return this.subsidies.reevaluate(actor, id);
  }

  @Post(':id/approve')
  @Roles('commerce')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Approve an eligible application (not by the official who filed it)' })
  approve(
    @PathParam('id', uuidParamRule('subsidy application', 'invalid-id')) id: string,
    @Body() body: DecisionDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<SubsidyApplicationView> {
    return this.subsidies.approve(actor, id, body.note);
  }

  @Post(':id/reject')
  @Roles('commerce')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Reject an application with a reason (not by the official who filed it)',
  })
  reject(
    @PathParam('id', uuidParamRule('subsidy application', 'invalid-id')) id: string,
    @Body() body: RejectDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<SubsidyApplicationView> {
    return this.subsidies.reject(actor, id, body.reason);
  }

  @Post(':id/pay')
  @Roles('commerce')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Pay an approved application through the ledger, exactly once (send an Idempotency-Key)',
  })
  pay(
    @PathParam('id', uuidParamRule('subsidy application', 'invalid-id')) id: string,
    @CurrentPrincipal() actor: Principal,
  ): Promise<SubsidyApplicationView> {
    return this.subsidies.pay(actor, id);
  }
}
