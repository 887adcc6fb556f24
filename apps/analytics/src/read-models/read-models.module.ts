import { Module } from '@nestjs/common';
import { DivisionsConsumer } from './division-read-model.consumer';
import { EnterprisesConsumer } from './enterprise-read-model.consumer';
import { SitesConsumer } from './site-read-model.consumer';

/**
 * Local read models of other services' compacted topics: divisions and enterprises (registry) and
 * sites (sites), the reference data the indicators are counted against. Each change marks the
 * cells it may move as dirty for the publisher.
 */
@Module({ providers: [DivisionsConsumer, EnterprisesConsumer, SitesConsumer] })
export class ReadModelsModule {}
