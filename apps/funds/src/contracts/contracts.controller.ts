import { PathParam, uuidParamRule } from '@ecomlog/http';
import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Roles, type Principal } from '@ecomlog/auth';
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

@ApiTags('contracts')
@ApiBearerAuth()
@Controller('v1/contracts')
export class ContractsController {
  constructor(private readonly contracts: ContractsService) {}

  @Post()
  @Roles('commerce')
  @ApiOperation({
    summary:
      'Sign a contract with an active service_contractor: tasks, and tranches (percent or amount, summing exactly to the amount) each with a condition',
  })
  create(
    @Body() body: CreateContractDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<ContractView> {
    return this.contracts.create(actor, body);
  }

  @Get()
  @ApiOperation({
    summary:
      'Contracts in your region (optionally of one program), tranche conditions decided today',
  })
  list(
    @Query() query: ListContractsQuery,
    @CurrentPrincipal() actor: Principal,
  ): Promise<{ items: ContractView[] }> {
    return this.contracts.list(actor, query.programId?.toLowerCase()).then((items) => ({ items }));
  }

  @Get(':id')
  @ApiOperation({
    summary:
      'A contract: tasks, audits, and every tranche with whether its condition is met and why',
  })
  get(
    @PathParam('id', uuidParamRule('contract', 'invalid-id')) id: string,
    @CurrentPrincipal() actor: Principal,
  ): Promise<ContractView> {
    return this.contracts.get(actor, id);
  }

  @Post(':id/audits')
  @Roles('auditor')
  @ApiOperation({
    summary:
      'Auditors only: record an audit, passed or with findings (which block every unpaid tranche)',
  })
  audit(
    @PathParam('id', uuidParamRule('contract', 'invalid-id')) id: string,
    @Body() body: RecordAuditDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<AuditView> {
    return this.contracts.recordAudit(actor, id, body);
  }
}

@ApiTags('contracts')
@ApiBearerAuth()
@Controller('v1/audits')
export class AuditsController {
  constructor(private readonly contracts: ContractsService) {}

  @Post(':auditId/findings/:findingId/rectify')
  @Roles('auditor')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Auditors only: mark a finding rectified' })
  rectify(
    @PathParam('auditId', uuidParamRule('audit', 'invalid-id')) auditId: string,
    @PathParam('findingId', uuidParamRule('finding', 'invalid-id')) findingId: string,
    @Body() body: RectifyFindingDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<AuditView> {
    return this.contracts.rectifyFinding(actor, auditId, findingId, body);
  }
}

@ApiTags('disbursements')
@ApiBearerAuth()
@Controller('v1/tranches')
export class TranchesController {
  constructor(
    private readonly contracts: ContractsService,
    private readonly disbursements: DisbursementsService,
  ) {}

  @Post(':id/manual-approval')
  @Roles('commerce')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Record the approval a manual_approval tranche waits for' })
  approveCondition(
    @PathParam('id', uuidParamRule('tranche', 'invalid-id')) id: string,
    @Body() body: ManualApprovalDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<ContractView> {
    return this.contracts.approveCondition(actor, id, body);
  }

  @Post(':id/disbursement-requests')
  @Roles('commerce')
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiOperation({
    summary:
      'Request payment of a tranche whose condition is met (requester = you); a second official approves. 201 created, 200 replay of your key, 409 already requested / paid / condition not met',
  })
  async request(
    @PathParam('id', uuidParamRule('tranche', 'invalid-id')) id: string,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentPrincipal() actor: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DisbursementRequestView> {
    const { created, request } = await this.disbursements.request(actor, id, key);
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return request;
  }
}

@ApiTags('disbursements')
@ApiBearerAuth()
@Controller('v1/disbursement-requests')
export class DisbursementRequestsController {
  constructor(private readonly disbursements: DisbursementsService) {}

  @Get()
  @ApiOperation({ summary: 'Disbursement requests in your region, newest first' })
  list(
    @Query() query: ListDisbursementRequestsQuery,
    @CurrentPrincipal() actor: Principal,
  ): Promise<{ items: DisbursementRequestView[] }> {
    return this.disbursements
      .list(actor, query.status, query.trancheId?.toLowerCase())
      .then((items) => ({ items }));
  }

  @Get(':id')
  get(
    @PathParam('id', uuidParamRule('disbursement request', 'invalid-id')) id: string,
    @CurrentPrincipal() actor: Principal,
  ): Promise<DisbursementRequestView> {
    return this.disbursements.get(actor, id);
  }

  @Post(':id/approve')
  @Roles('commerce')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Approve as a second official (not the requester): pays the tranche in one transaction (journal entry, tranche, request)',
  })
  approve(
    @PathParam('id', uuidParamRule('disbursement request', 'invalid-id')) id: string,
    @Body() body: DecisionDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<{ request: DisbursementRequestView; contract: ContractView }> {
    return this.disbursements.approve(actor, id, body.note);
  }

  @Post(':id/reject')
  @Roles('commerce')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Refuse a request; the tranche may be requested again' })
  reject(
    @PathParam('id', uuidParamRule('disbursement request', 'invalid-id')) id: string,
    @Body() body: RejectDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<DisbursementRequestView> {
    return this.disbursements.reject(actor, id, body.reason);
  }
}
