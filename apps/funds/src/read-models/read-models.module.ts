import { Module } from '@nestjs/common';
import { FundsEnterpriseReadModelConsumer } from './enterprise-read-model.consumer';
import { FundsIndicatorReadModelConsumer } from './indicator-read-model.consumer';
import { FundsSiteReadModelConsumer } from './site-read-model.consumer';

/**
 * Local read models of other services' compacted topics: enterprises (registry), sites (sites)
 * and enterprise-scoped indicator cells (analytics).
 */
@Module({
  providers: [
    FundsEnterpriseReadModelConsumer,
    FundsSiteReadModelConsumer,
    FundsIndicatorReadModelConsumer,
  ],
})
export class ReadModelsModule {}
