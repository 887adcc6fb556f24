import { Module } from '@nestjs/common';
import { AccessController } from './access.controller';
import { IdentityService } from './identity.service';
import { KafkaAccessService } from './kafka-access.service';
import { OAuthController } from './oauth.controller';
import { SigningKeysService } from './signing-keys.service';

@Module({
  controllers: [OAuthController, AccessController],
  providers: [IdentityService, SigningKeysService, KafkaAccessService],
  exports: [IdentityService, KafkaAccessService],
})
export class IdentityModule {}
