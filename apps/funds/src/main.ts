import 'reflect-metadata';
import { validateEnv } from '@ecomlog/config';
import { bootstrapService } from '@ecomlog/platform';
import { AppModule } from './app.module';
import { FundsEnv } from './config';

async function main(): Promise<void> {
  const env = validateEnv(FundsEnv);
  await bootstrapService(AppModule.register(env), env, {
    title: 'Funds service',
    description:
      'Sources, programs, contracts, tranches, audits, disbursements and subsidies on a double-entry ledger.',
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
