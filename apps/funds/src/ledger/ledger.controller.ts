import { Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles } from '@ecomlog/auth';
import { ProblemException } from '@ecomlog/http';
import { LedgerService, type AccountBalance, type BalanceCheckReport } from './ledger.service';

/** An account name or the start of one: program:, program:<id>, contract:<id>:paid. */
const ACCOUNT_PREFIX = /^[a-z_]+(:[0-9a-f-]*(:[a-z_]*)?)?$/;
@ApiTags('ledger')
@ApiBearerAuth()
@Controller('v1/ledger')
export class LedgerController {
  constructor(private readonly ledger: LedgerService) {}

  @Get('balances')
  @ApiQuery({
    name: 'accountPrefix',
    required: false,
    example: 'program:',
    schema: { type: 'string', pattern: ACCOUNT_PREFIX.source },
  })
  @ApiOperation({
    summary: 'Account balances (debit, credit, debit − credit), optionally by account prefix',
  })
  async balances(
    @Query('accountPrefix') accountPrefix?: string,
  ): Promise<{ items: AccountBalance[] }> {
    if (accountPrefix !== undefined && !ACCOUNT_PREFIX.test(accountPrefix)) {
      throw new ProblemException(
        400,
        'invalid-account-prefix',
        'Invalid account prefix',
        'accountPrefix looks like program:, program:<id> or contract:<id>:paid.',
      );
    }
    return { items: await this.ledger.balances(accountPrefix) };
  }

  @Post('balance-check')
  @Roles('auditor', 'commerce')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Recompute every balance and figure from the journal and report each mismatch',
  })
  check(): Promise<BalanceCheckReport> {
    return this.ledger.balanceCheck();
  }
}
