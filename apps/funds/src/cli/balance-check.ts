/**
 * Recomputes every balance and figure of the funds ledger from the journal and prints the report
 * (JSON); exits 1 when anything differs. The same check as POST /v1/ledger/balance-check.
 *
 *   npx nx run funds:balance-check                    (from the sources, local stack defaults)
 *   node dist/apps/funds/src/cli/balance-check.js     (after npm run build)
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { validateEnv } from '@ecomlog/config';
import { AppModule } from '../app.module';
import { FundsEnv } from '../config';
import { LedgerService } from '../ledger/ledger.service';

async function main(): Promise<number> {
  // A one-shot command: no consumers, quiet logs unless LOG_LEVEL says otherwise.
  const env = validateEnv(FundsEnv, {
    LOG_LEVEL: 'warn',
    ...process.env,
    CONSUMERS_ENABLED: 'false',
  });
  const app = await NestFactory.createApplicationContext(AppModule.register(env), {
    logger: ['error', 'warn'],
  });
  try {
    const report = await app.get(LedgerService).balanceCheck();
    console.log(JSON.stringify(report, null, 2));
    return report.ok ? 0 : 1;
  } finally {
    await app.close();
  }
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  });
