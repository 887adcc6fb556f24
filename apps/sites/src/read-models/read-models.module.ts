import { Module } from '@nestjs/common';
import { DivisionReadModelConsumer } from './division-read-model.consumer';
import { EnterpriseReadModelConsumer } from './enterprise-read-model.consumer';

/**
 * Local read models of the registry's compacted topics: known_division (registry.divisions.v1)
 * and known_enterprise (registry.enterprises.v1), which sites, imports and coverage are checked
 * against.
 */
@Module({ providers: [DivisionReadModelConsumer, EnterpriseReadModelConsumer] })
export class ReadModelsModule {}
