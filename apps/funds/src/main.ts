import 'reflect-metadata';
import { runService } from '@ecomlog/platform';
import { AppModule } from './app.module';

runService(AppModule, {
  title: 'Funds service',
  description:
    'Sources, programs, contracts, tranches, audits, disbursements and subsidies on a double-entry ledger.',
});
