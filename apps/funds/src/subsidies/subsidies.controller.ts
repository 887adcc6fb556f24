import { Body, Query } from '@nestjs/common';
import { PathParam, itemsOf, uuidParamRule } from '@ecomlog/http';
import {
  BearerController,
  Command,
  Create,
  CurrentPrincipal,
  Read,
  type Principal,
} from '@ecomlog/auth';
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

const APPLICATION_ID = uuidParamRule('subsidy application', 'invalid-id');

@BearerController('v1/subsidy-policies', { tag: 'subsidies' })
export class SubsidyPoliciesController {
  constructor(private readonly subsidies: SubsidiesService) {}

  @Create({
    roles: ['commerce'],
    summary: 'Create a 奖补 policy with eligibility rules for a program',
  })
  create(
    @Body() body: CreateSubsidyPolicyDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<SubsidyPolicyView> {
    return this.subsidies.createPolicy(actor, body);
  }

  @Read()
  list(
    @Query('programId') programId: string | undefined,
    @CurrentPrincipal() actor: Principal,
  ): Promise<{ items: SubsidyPolicyView[] }> {
    return itemsOf(
      this.subsidies.listPolicies(
        actor,
        programId === undefined ? undefined : uuidParam(programId, 'program'),
      ),
    );
  }
}

@BearerController('v1/subsidy-applications', { tag: 'subsidies' })
export class SubsidyApplicationsController {
  constructor(private readonly subsidies: SubsidiesService) {}

  @Create({
    roles: ['commerce'],
    summary:
      'File an application: every eligibility rule is evaluated and recorded (eligible / ineligible)',
  })
  apply(
    @Body() body: CreateSubsidyApplicationDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<SubsidyApplicationView> {
    return this.subsidies.apply(actor, body);
  }

  @Read()
  list(
    @Query() query: ListSubsidyApplicationsQuery,
    @CurrentPrincipal() actor: Principal,
  ): Promise<{ items: SubsidyApplicationView[] }> {
    return itemsOf(this.subsidies.list(actor, query.policyId?.toLowerCase(), query.status));
  }

  @Read(':id')
  get(
    @PathParam('id', APPLICATION_ID) id: string,
    @CurrentPrincipal() actor: Principal,
  ): Promise<SubsidyApplicationView> {
    return this.subsidies.get(actor, id);
  }

  @Command(':id/evaluate', {
    roles: ['commerce'],
    summary: 'Evaluate an undecided application again (e.g. once a sales figure arrived)',
  })
  evaluate(
    @PathParam('id', APPLICATION_ID) id: string,
    @CurrentPrincipal() actor: Principal,
  ): Promise<SubsidyApplicationView> {
    return this.subsidies.reevaluate(actor, id);
  }

  @Command(':id/approve', {
    roles: ['commerce'],
    summary: 'Approve an eligible application (not by the official who filed it)',
  })
  approve(
    @PathParam('id', APPLICATION_ID) id: string,
    @Body() body: DecisionDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<SubsidyApplicationView> {
    return this.subsidies.approve(actor, id, body.note);
  }

  @Command(':id/reject', {
    roles: ['commerce'],
    summary: 'Reject an application with a reason (not by the official who filed it)',
  })
  reject(
    @PathParam('id', APPLICATION_ID) id: string,
    @Body() body: RejectDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<SubsidyApplicationView> {
    return this.subsidies.reject(actor, id, body.reason);
  }

  @Command(':id/pay', {
    roles: ['commerce'],
    summary:
      'Pay an approved application through the ledger, exactly once (send an Idempotency-Key)',
  })
  pay(
    @PathParam('id', APPLICATION_ID) id: string,
    @CurrentPrincipal() actor: Principal,
  ): Promise<SubsidyApplicationView> {
    return this.subsidies.pay(actor, id);
  }
}
