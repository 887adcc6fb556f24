import { Module } from '@nestjs/common';
import {
  AuditsController,
  ContractsController,
  DisbursementRequestsController,
  TranchesController,
} from './contracts/contracts.controller';
import { ContractsService } from './contracts/contracts.service';
import { DisbursementsService } from './contracts/disbursements.service';
import {
  AllocationsController,
  ProgramsController,
  SourcesController,
} from './funding/funding.controller';
import { FundingService } from './funding/funding.service';
import { LedgerController } from './ledger/ledger.controller';
import { LedgerService } from './ledger/ledger.service';
import { FundsStateEvents } from './shared/state-events';
import {
  SubsidyApplicationsController,
  SubsidyPoliciesController,
} from './subsidies/subsidies.controller';
import { SubsidiesService } from './subsidies/subsidies.service';

/**
 * The funds domain: sources, programs and allocations; contracts, tranches, audits and four-eyes
 * disbursements; subsidies; the ledger. One module because every part posts to the same journal
 * under the same program row lock.
 */
@Module({
  controllers: [
    SourcesController,
    ProgramsController,
    AllocationsController,
    ContractsController,
    AuditsController,
    TranchesController,
    DisbursementRequestsController,
    SubsidyPoliciesController,
    SubsidyApplicationsController,
    LedgerController,
  ],
  providers: [
    FundsStateEvents,
    LedgerService,
    FundingService,
    ContractsService,
    DisbursementsService,
    SubsidiesService,
  ],
  exports: [LedgerService],
})
export class FundsModule {}
