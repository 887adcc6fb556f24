import { Body } from '@nestjs/common';
import { ApiExtraModels } from '@nestjs/swagger';
import { ScanV1 } from '@ecomlog/contracts';
import { BearerController, Command, CurrentPrincipal, type Principal } from '@ecomlog/auth';
import { BatchItems, checkBatchSize } from '@ecomlog/http';
import {
  MAX_SCANS_PER_REQUEST,
  ScanIntakeService,
  type ScanIntakeReport,
} from './scan-intake.service';

export class SubmitScansDto {
  @BatchItems(ScanV1, { max: MAX_SCANS_PER_REQUEST, items: 'scans' })
  scans!: unknown[];
}

@BearerController('v1/scans', { tag: 'scans' })
@ApiExtraModels(ScanV1)
export class ScansController {
  constructor(private readonly intake: ScanIntakeService) {}

  @Command({
    clients: ['courier'],
    summary:
      'Courier scan intake: up to 1,000 scans, answered per item (accepted / duplicate / rejected with reason)',
  })
  submit(
    @Body() body: SubmitScansDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ScanIntakeReport> {
    checkBatchSize(body.scans, MAX_SCANS_PER_REQUEST, 'scan');
    return this.intake.submit(body.scans, principal);
  }
}
