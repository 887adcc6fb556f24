import { Global, Module } from '@nestjs/common';
import { CLIENT_STATUS } from '@ecomlog/auth';
import { ParcelsClientReadModelConsumer } from './client-read-model.consumer';
import { KnownClientStatus } from './client-status.source';
import { ParcelsDivisionReadModelConsumer } from './division-read-model.consumer';
import { ParcelsEnterpriseReadModelConsumer } from './enterprise-read-model.consumer';
import { SiteReadModelConsumer } from './site-read-model.consumer';

/**
 * Local read models of other services' compacted topics:
 * - known_site (sites.sites.v1): scans that give only a siteId take its division;
 * - known_enterprise and known_shop (registry.enterprises.v1): orders name shops;
 * - known_division (registry.divisions.v1): orders name seller and buyer divisions;
 * - known_client (registry.clients.v1): the AuthGuard refuses a client disabled in the registry at
 *   the HTTP doors as the broker does at the Kafka door.
 *
 * Global for the last: the guard is the platform's and looks the client status source up from there.
 */
@Global()
@Module({
  providers: [
    SiteReadModelConsumer,
    ParcelsEnterpriseReadModelConsumer,
    ParcelsDivisionReadModelConsumer,
    ParcelsClientReadModelConsumer,
    KnownClientStatus,
    { provide: CLIENT_STATUS, useExisting: KnownClientStatus },
  ],
  exports: [CLIENT_STATUS],
})
export class ReadModelsModule {}
