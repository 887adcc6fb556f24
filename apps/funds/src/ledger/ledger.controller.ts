import { Query } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { BearerController, Command, Read } from '@ecomlog/auth';
import { ProblemException, itemsOf } from '@ecomlog/http';
import { LedgerService, type AccountBalance, type BalanceCheckReport } from './ledger.service';

/** An account name or the start of one: program:, program:<id>, contract:<id>:paid. */
const ACCOUNT_PREFIX = /^[a-z_]+(:[0-9a-f-]*(:[a-z_]*)?)?$/;
@BearerController('v1/ledger', { tag: 'ledger' })
export class LedgerController {
  constructor(private readonly ledger: LedgerService) {}

  @Read('balances', {
    summary: 'Account balances (debit, credit, debit − credit), optionally by account prefix',
  })
  @ApiQuery({
    name: 'accountPrefix',
    required: false,
    example: 'program:',
    schema: { type: 'string', pattern: ACCOUNT_PREFIX.source },
  })
  balances(@Query('accountPrefix') accountPrefix?: string): Promise<{ items: AccountBalance[] }> {
    if (accountPrefix !== undefined && !ACCOUNT_PREFIX.test(accountPrefix)) {
      throw new ProblemException(
        400,
        'invalid-account-prefix',
        'Invalid account prefix',
        'accountPrefix looks like program:, program:<id> or contract:<id>:paid.',
      );
    }
    return itemsOf(this.ledger.balances(accountPrefix));
  }

  @Command('balance-check', {
    roles: ['auditor', 'commerce'],
    summary: 'Recompute every balance and figure from the journal and report each mismatch',
  })
  check(): Promise<BalanceCheckReport> {
    return this.ledger.balanceCheck();
  }
}
