import { Module } from '@nestjs/common';
import { AccessController } from './access.controller';
import { IdentityService } from './identity.service';
import { OAuthController } from './oauth.controller';
import { SigningKeysService } from './signing-keys.service';

@Module({
  controllers: [OAuthController, AccessController],
  providers: [IdentityService, SigningKeysService],
  exports: [IdentityService],
})
export class IdentityModule {}
