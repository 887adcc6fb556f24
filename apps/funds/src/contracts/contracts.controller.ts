import { PathParam, createdOrOk, itemsOf, uuidParamRule } from '@ecomlog/http';
import { Body, Headers, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  BearerController,
  Command,
  Create,
  CurrentPrincipal,
  Read,
  type Principal,
} from '@ecomlog/auth';
import type { AuditView, ContractView } from './contract-views';
import { ContractsService } from './contracts.service';
import { DisbursementsService, type DisbursementRequestView } from './disbursements.service';
import {
  CreateContractDto,
  DecisionDto,
  ListContractsQuery,
  ListDisbursementRequestsQuery,
  ManualApprovalDto,
  RecordAuditDto,
  RectifyFindingDto,
  RejectDto,
} from './dto/contract.dto';

const CONTRACT_ID = uuidParamRule('contract', 'invalid-id');
const TRANCHE_ID = uuidParamRule('tranche', 'invalid-id');
const DISBURSEMENT_REQUEST_ID = uuidParamRule('disbursement request', 'invalid-id');

@BearerController('v1/contracts', { tag: 'contracts' })
export class ContractsController {
  constructor(private readonly contracts: ContractsService) {}

  @Create({
    roles: ['commerce'],
    summary:
      'Sign a contract with an active service_contractor: tasks, and tranches (percent or amount, summing exactly to the amount) each with a condition',
  })
  create(
    @Body() body: CreateContractDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<ContractView> {
    return this.contracts.create(actor, body);
  }

  @Read({
    summary:
      'Contracts in your region (optionally of one program), tranche conditions decided today',
  })
  list(
    @Query() query: ListContractsQuery,
    @CurrentPrincipal() actor: Principal,
  ): Promise<{ items: ContractView[] }> {
    return itemsOf(this.contracts.list(actor, query.programId?.toLowerCase()));
  }

  @Read(':id', {
    summary:
      'A contract: tasks, audits, and every tranche with whether its condition is met and why',
  })
  get(
    @PathParam('id', CONTRACT_ID) id: string,
    @CurrentPrincipal() actor: Principal,
  ): Promise<ContractView> {
    return this.contracts.get(actor, id);
  }

  @Create(':id/audits', {
    roles: ['auditor'],
    summary:
      'Auditors only: record an audit, passed or with findings (which block every unpaid tranche)',
  })
  audit(
    @PathParam('id', CONTRACT_ID) id: string,
    @Body() body: RecordAuditDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<AuditView> {
    return this.contracts.recordAudit(actor, id, body);
  }
}

@BearerController('v1/audits', { tag: 'contracts' })
export class AuditsController {
  constructor(private readonly contracts: ContractsService) {}

  @Command(':auditId/findings/:findingId/rectify', {
    roles: ['auditor'],
    summary: 'Auditors only: mark a finding rectified',
  })
  rectify(
    @PathParam('auditId', uuidParamRule('audit', 'invalid-id')) auditId: string,
    @PathParam('findingId', uuidParamRule('finding', 'invalid-id')) findingId: string,
    @Body() body: RectifyFindingDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<AuditView> {
    return this.contracts.rectifyFinding(actor, auditId, findingId, body);
  }
}

@BearerController('v1/tranches', { tag: 'disbursements' })
export class TranchesController {
  constructor(
    private readonly contracts: ContractsService,
    private readonly disbursements: DisbursementsService,
  ) {}

  @Command(':id/manual-approval', {
    roles: ['commerce'],
    summary: 'Record the approval a manual_approval tranche waits for',
  })
  approveCondition(
    @PathParam('id', TRANCHE_ID) id: string,
    @Body() body: ManualApprovalDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<ContractView> {
    return this.contracts.approveCondition(actor, id, body);
  }

  @Create(':id/disbursement-requests', {
    roles: ['commerce'],
    idempotencyKey: 'required',
    summary:
      'Request payment of a tranche whose condition is met (requester = you); a second official approves. 201 created, 200 replay of your key, 409 already requested / paid / condition not met',
  })
  async request(
    @PathParam('id', TRANCHE_ID) id: string,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentPrincipal() actor: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DisbursementRequestView> {
    const { created, request } = await this.disbursements.request(actor, id, key);
    return createdOrOk(response, created, request);
  }
}

@BearerController('v1/disbursement-requests', { tag: 'disbursements' })
export class DisbursementRequestsController {
  constructor(private readonly disbursements: DisbursementsService) {}

  @Read({ summary: 'Disbursement requests in your region, newest first' })
  list(
    @Query() query: ListDisbursementRequestsQuery,
    @CurrentPrincipal() actor: Principal,
  ): Promise<{ items: DisbursementRequestView[] }> {
    return itemsOf(this.disbursements.list(actor, query.status, query.trancheId?.toLowerCase()));
  }

  @Read(':id')
  get(
    @PathParam('id', DISBURSEMENT_REQUEST_ID) id: string,
    @CurrentPrincipal() actor: Principal,
  ): Promise<DisbursementRequestView> {
    return this.disbursements.get(actor, id);
  }

  @Command(':id/approve', {
    roles: ['commerce'],
    summary:
      'Approve as a second official (not the requester): pays the tranche in one transaction (journal entry, tranche, request)',
  })
  approve(
    @PathParam('id', DISBURSEMENT_REQUEST_ID) id: string,
    @Body() body: DecisionDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<{ request: DisbursementRequestView; contract: ContractView }> {
    return this.disbursements.approve(actor, id, body.note);
  }

  @Command(':id/reject', {
    roles: ['commerce'],
    summary: 'Refuse a request; the tranche may be requested again',
  })
  reject(
    @PathParam('id', DISBURSEMENT_REQUEST_ID) id: string,
    @Body() body: RejectDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<DisbursementRequestView> {
    return this.disbursements.reject(actor, id, body.reason);
  }
}
