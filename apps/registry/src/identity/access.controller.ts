import { Body, Param, Query } from '@nestjs/common';
import { PageQuery } from '@ecomlog/http';
import {
  BearerController,
  Command,
  Create,
  CurrentPrincipal,
  Read,
  type Principal,
} from '@ecomlog/auth';
import { CreateClientDto, CreateOfficialDto } from './dto/identity.dto';
import { IdentityService } from './identity.service';
import { KafkaAccessService } from './kafka-access.service';
import { SigningKeysService } from './signing-keys.service';

@BearerController('v1', { tag: 'identity', roles: ['admin'] })
export class AccessController {
  constructor(
    private readonly identity: IdentityService,
    private readonly keys: SigningKeysService,
    private readonly kafkaAccess: KafkaAccessService,
  ) {}

  @Create('clients', {
    summary:
      'Register a courier, platform or indicator-subscriber client; the secret is shown only in this answer, with the Kafka access the client gets',
  })
  createClient(@CurrentPrincipal() actor: Principal, @Body() body: CreateClientDto) {
    return this.identity.createClient(actor, body);
  }

  @Read('clients', { summary: 'Registered machine clients (no secrets), page by page' })
  listClients(@Query() page: PageQuery) {
    return this.identity.listClients(page);
  }

  @Command('clients/:clientId/rotate-secret', {
    summary: 'Replace a client secret; the old one stops working at once',
  })
  rotateSecret(@CurrentPrincipal() actor: Principal, @Param('clientId') clientId: string) {
    return this.identity.rotateClientSecret(actor, clientId);
  }

  @Command('clients/:clientId/disable')
  disable(@CurrentPrincipal() actor: Principal, @Param('clientId') clientId: string) {
    return this.identity.setClientActive(actor, clientId, false);
  }

  @Command('clients/:clientId/enable')
  enable(@CurrentPrincipal() actor: Principal, @Param('clientId') clientId: string) {
    return this.identity.setClientActive(actor, clientId, true);
  }

  @Create('officials', {
    summary: 'Create an official inside your region; the first password is shown only here',
  })
  createOfficial(@CurrentPrincipal() actor: Principal, @Body() body: CreateOfficialDto) {
    return this.identity.createOfficial(actor, body);
  }

  @Read('officials', {
    summary: 'Officials inside your region (no password hashes), page by page',
  })
  listOfficials(@CurrentPrincipal() actor: Principal, @Query() page: PageQuery) {
    return this.identity.listOfficials(actor, page);
  }

  @Command('signing-keys/rotate', {
    summary: 'Sign new tokens with a new key; the old key stays published for a day',
  })
  async rotateKey(): Promise<{ kid: string }> {
    const kid = await this.keys.rotate();
    await this.kafkaAccess.applyAfterChange(); // the broker's JWKS file gets the new key
    return { kid };
  }
}
