import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { PageQuery } from '@ecomlog/http';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ecomlog/auth';
import { CreateClientDto, CreateOfficialDto } from './dto/identity.dto';
import { IdentityService } from './identity.service';
import { KafkaAccessService } from './kafka-access.service';
import { SigningKeysService } from './signing-keys.service';

@ApiTags('identity')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1')
export class AccessController {
  constructor(
    private readonly identity: IdentityService,
    private readonly keys: SigningKeysService,
    private readonly kafkaAccess: KafkaAccessService,
  ) {}

  @Post('clients')
  @ApiOperation({
    summary:
      'Register a courier, platform or indicator-subscriber client; the secret is shown only in this answer, with the Kafka access the client gets',
  })
  createClient(@CurrentPrincipal() actor: Principal, @Body() body: CreateClientDto) {
    return this.identity.createClient(actor, body);
  }

  @Get('clients')
  @ApiOperation({ summary: 'Registered machine clients (no secrets), page by page' })
  listClients(@Query() page: PageQuery) {
    return this.identity.listClients(page);
  }

  @Post('clients/:clientId/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'Replace a client secret; the old one stops working at once' })
  rotateSecret(@CurrentPrincipal() actor: Principal, @Param('clientId') clientId: string) {
    return this.identity.rotateClientSecret(actor, clientId);
  }

  @Post('clients/:clientId/disable')
  @HttpCode(200)
  disable(@CurrentPrincipal() actor: Principal, @Param('clientId') clientId: string) {
    return this.identity.setClientActive(actor, clientId, false);
  }

  @Post('clients/:clientId/enable')
  @HttpCode(200)
  enable(@CurrentPrincipal() actor: Principal, @Param('clientId') clientId: string) {
    return this.identity.setClientActive(actor, clientId, true);
  }

  @Post('officials')
  @ApiOperation({
    summary: 'Create an official inside your region; the first password is shown only here',
  })
  createOfficial(@CurrentPrincipal() actor: Principal, @Body() body: CreateOfficialDto) {
    return this.identity.createOfficial(actor, body);
  }

  @Get('officials')
  @ApiOperation({ summary: 'Officials inside your region (no password hashes), page by page' })
  listOfficials(@CurrentPrincipal() actor: Principal, @Query() page: PageQuery) {
    return this.identity.listOfficials(actor, page);
  }

  @Post('signing-keys/rotate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign new tokens with a new key; the old key stays published for a day',
  })
  async rotateKey(): Promise<{ kid: string }> {
    const kid = await this.keys.rotate();
    await this.kafkaAccess.applyAfterChange(); // the broker's JWKS file gets the new key
    return { kid };
  }
}
