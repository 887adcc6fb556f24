import { defineServiceApp } from '@ecomlog/platform';
import { FundsEnv } from './config';
import { FundsModule } from './funds.module';
import { FUNDS_MIGRATIONS } from './migrations';
import { ReadModelsModule } from './read-models/read-models.module';

/** funds: programmes, contracts, disbursements, subsidies and the ledger, on its read models. */
export const AppModule = defineServiceApp({
  envClass: FundsEnv,
  migrations: FUNDS_MIGRATIONS,
  imports: [ReadModelsModule, FundsModule],
});
