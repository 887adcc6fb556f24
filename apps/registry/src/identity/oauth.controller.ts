import { Body, Controller, Header, Req } from '@nestjs/common';
import { ApiConsumes, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { Command, Public, Read, type PublicJwk } from '@ecomlog/auth';
import { ProblemException } from '@ecomlog/http';
import { LoginDto, TokenRequestDto } from './dto/identity.dto';
import { IdentityService, type IssuedToken } from './identity.service';
import { SigningKeysService } from './signing-keys.service';

function basicCredentials(request: Request): { id?: string; secret?: string } {
  const match = /^Basic\s+(\S+)$/i.exec(request.header('authorization') ?? '');
  if (!match) return {};
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return {};
  // RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
  return {
    id: decodeURIComponent(decoded.slice(0, colon)),
    secret: decodeURIComponent(decoded.slice(colon + 1)),
  };
}

@ApiTags('identity')
@Public()
@Controller()
export class OAuthController {
  constructor(
    private readonly identity: IdentityService,
    private readonly keys: SigningKeysService,
  ) {}

  @Command('v1/oauth/token', {
    summary: 'OAuth2 client credentials: a signed JWT for a courier or platform client',
  })
  @Header('Cache-Control', 'no-store')
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiUnauthorizedResponse({ description: 'Unknown client, wrong secret or a disabled client' })
  token(@Body() body: TokenRequestDto, @Req() request: Request): Promise<IssuedToken> {
    if (body.grant_type !== 'client_credentials') {
      throw new ProblemException(
        400,
        'oauth-unsupported-grant-type',
        'Token request refused',
        `grant_type ${body.grant_type} is not supported; use client_credentials.`,
        {
          error: 'unsupported_grant_type',
          error_description: 'Only client_credentials is supported.',
        },
      );
    }
    const basic = basicCredentials(request);
    return this.identity.issueClientToken(
      basic.id ?? body.client_id,
      basic.secret ?? body.client_secret,
    );
  }

  @Command('v1/auth/login', {
    summary: "An official's token (roles and region scope) for the dashboard and the APIs",
  })
  @Header('Cache-Control', 'no-store')
  @ApiUnauthorizedResponse({ description: 'Wrong username or password, or a disabled official' })
  login(@Body() body: LoginDto): Promise<IssuedToken> {
    return this.identity.login(body.username, body.password);
  }

  @Read('.well-known/jwks.json', { summary: 'Public keys that verify registry tokens (JWKS)' })
  @Header('Cache-Control', 'public, max-age=300')
  jwks(): Promise<{ keys: PublicJwk[] }> {
    return this.keys.jwks();
  }
}
