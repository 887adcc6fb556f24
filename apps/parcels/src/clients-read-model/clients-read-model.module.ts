import { Global, Module } from '@nestjs/common';
import { CLIENT_STATUS } from '@ecomlog/auth';
import { ParcelsClientReadModelConsumer } from './client-read-model.consumer';
import { KnownClientStatus } from './client-status.source';

/**
 * known_client, kept from registry.clients.v1, so the AuthGuard refuses a client disabled in the
 * registry at the HTTP doors as the broker does at the Kafka door. Global: the guard is the
 * platform's and looks the status source up from there.
 */
@Global()
@Module({
  providers: [
    ParcelsClientReadModelConsumer,
    KnownClientStatus,
    { provide: CLIENT_STATUS, useExisting: KnownClientStatus },
  ],
  exports: [CLIENT_STATUS],
})
export class ClientsReadModelModule {}
