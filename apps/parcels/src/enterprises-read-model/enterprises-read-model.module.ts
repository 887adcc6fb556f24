import { Module } from '@nestjs/common';
import { ParcelsEnterpriseReadModelConsumer } from './enterprise-read-model.consumer';

/** known_enterprise and known_shop, kept from registry.enterprises.v1 (orders name shops). */
@Module({ providers: [ParcelsEnterpriseReadModelConsumer] })
export class EnterprisesReadModelModule {}
