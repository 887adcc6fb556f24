import { defineServiceApp } from '@ecomlog/platform';
import { AnalyticsEnv } from './config';
import { LedgerConsumer } from './facts/ledger.consumer';
import { OrdersConsumer } from './facts/orders.consumer';
import { ParcelsConsumer } from './facts/parcels.consumer';
import { ActivitiesConsumer } from './facts/activities.consumer';
import { IndicatorEngine } from './indicators/indicator-engine';
import { ANALYTICS_MIGRATIONS } from './migrations';
import { IndicatorPublisher } from './publishing/indicator-publisher.service';
import { AnalyticsController } from './query/analytics.controller';
import { AnalyticsQueryService } from './query/analytics-query.service';
import { AnswerCache } from './query/answer-cache';
import { ConsumerLag } from './query/consumer-lag';
import { DivisionsRepository } from './query/divisions.repository';
import { ReadModelsModule } from './read-models/read-models.module';
import { TargetsController } from './targets/targets.controller';
import { TargetsService } from './targets/targets.service';

/** analytics: the indicator facts, their query API, targets and the indicator publisher. */
export const AppModule = defineServiceApp({
  envClass: AnalyticsEnv,
  migrations: ANALYTICS_MIGRATIONS,
  imports: [ReadModelsModule],
  controllers: [AnalyticsController, TargetsController],
  providers: [
    ActivitiesConsumer,
    LedgerConsumer,
    OrdersConsumer,
    ParcelsConsumer,
    IndicatorEngine,
    AnalyticsQueryService,
    AnswerCache,
    ConsumerLag,
    DivisionsRepository,
    TargetsService,
    IndicatorPublisher,
  ],
});
