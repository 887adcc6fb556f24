import { generateKeyPairSync } from 'node:crypto';
import { Body, Controller, Get, Module, Param, Post } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { ProblemDetailsFilter, correlationMiddleware, jsonBody } from '@ecomlog/http';
import { createLogger } from '@ecomlog/observability';
import { Redis } from 'ioredis';
import { freePort, stack, uniqueSuffix } from '@ecomlog/testing';
import {
  AuthGuard,
  ClientKinds,
  CurrentPrincipal,
  JwksTokenVerifier,
  RateLimitGuard,
  Public,
  Roles,
  TokenVerifier,
  assertOwnCarrier,
  assertWithinRegion,
  publicJwk,
  signToken,
  type Principal,
  type TokenClaims,
} from '../src';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const forger = generateKeyPairSync('ed25519');
const ISSUER = 'ecomlog-registry';
const AUDIENCE = 'ecomlog';

@Controller()
class ProbeController {
  @Public()
  @Get('.well-known/jwks.json')
  jwks(): unknown {
    return { keys: [publicJwk(publicKey, 'k1')] };
  }

  @ClientKinds('courier')
  @Post('v1/scans/:carrier')
  scans(@Param('carrier') carrier: string, @CurrentPrincipal() principal: Principal): unknown {
    assertOwnCarrier(principal, carrier);
    return { accepted: true };
  }

  @Roles('commerce')
  @Post('v1/enterprises')
  enterprise(
    @Body() body: { registeredDivisionCode: string },
    @CurrentPrincipal() principal: Principal,
  ): unknown {
    assertWithinRegion(principal, body.registeredDivisionCode);
    return { created: true };
  }
}

/** The guard as every service runs it: tokens checked against a JWKS served over real HTTP. */
describe('AuthGuard with keys from a JWKS endpoint', () => {
  let app: NestExpressApplication;
  const redis = new Redis(stack.redisUrl);

  const token = (claims: Partial<TokenClaims>, key = privateKey, now = Date.now()): string =>
    signToken(
      key,
      'k1',
      { iss: ISSUER, aud: AUDIENCE, sub: 's', kind: 'official', scope: '', ...claims },
      600,
      now,
    ).token;
  const courier = (carrier: string): string =>
    token({ sub: 'courier-zto', kind: 'courier', carrier });
  const official = (region: string): string =>
    token({ sub: 'u1', kind: 'official', roles: ['commerce'], region });

  beforeAll(async () => {
    const port = await freePort();
    @Module({
      controllers: [ProbeController],
      providers: [
        {
          provide: TokenVerifier,
          useValue: new JwksTokenVerifier(`http://127.0.0.1:${port}/.well-known/jwks.json`, {
            issuer: ISSUER,
            audience: AUDIENCE,
          }),
        },
        { provide: APP_GUARD, useClass: AuthGuard },
        {
          provide: APP_GUARD,
          useValue: new RateLimitGuard(redis, {
            perMinute: 5,
            namespace: `auth-it-${uniqueSuffix()}`,
          }),
        },
        {
          provide: APP_FILTER,
          useValue: new ProblemDetailsFilter(createLogger('auth-it', 'fatal')),
        },
      ],
    })
    class ProbeModule {}
    const moduleRef = await Test.createTestingModule({ imports: [ProbeModule] }).compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false });
    app.use(correlationMiddleware);
    app.use(...jsonBody('16kb'));
    await app.listen(port, '127.0.0.1');
  });

  afterAll(async () => {
    await app.close();
    await redis.quit();
  });

  it('lets a ZTO courier post ZTO scans and refuses it posting as YTO', async () => {
    await request(app.getHttpServer())
      .post('/v1/scans/ZTO')
      .set('authorization', `Bearer ${courier('ZTO')}`)
      .expect(201);
    const refused = await request(app.getHttpServer())
      .post('/v1/scans/YTO')
      .set('authorization', `Bearer ${courier('ZTO')}`)
      .expect(403);
    expect(refused.body).toMatchObject({
      type: 'https://ecomlog.cn/problems/other-carrier',
      detail: expect.stringContaining('YTO'),
    });
  });

  it('refuses expired and forged tokens', async () => {
    const expired = token(
      { sub: 'courier-zto', kind: 'courier', carrier: 'ZTO' },
      privateKey,
      Date.now() - 3600_000,
    );
    const response = await request(app.getHttpServer())
      .post('/v1/scans/ZTO')
      .set('authorization', `Bearer ${expired}`)
      .expect(401);
    expect(response.body).toMatchObject({
      type: 'https://ecomlog.cn/problems/invalid-token',
      detail: 'the token has expired; request a new one.',
    });
    const forged = token(
      { sub: 'courier-zto', kind: 'courier', carrier: 'ZTO' },
      forger.privateKey,
    );
    const refused = await request(app.getHttpServer())
      .post('/v1/scans/ZTO')
      .set('authorization', `Bearer ${forged}`)
      .expect(401);
    expect(refused.body).toMatchObject({ detail: 'the token signature is invalid.' });
  });

  it('keeps an official scoped to 370982 out of 640502, and clients off official routes', async () => {
    await request(app.getHttpServer())
      .post('/v1/enterprises')
      .set('authorization', `Bearer ${official('370982')}`)
      .send({ registeredDivisionCode: '370982105000' })
      .expect(201);
    const outside = await request(app.getHttpServer())
      .post('/v1/enterprises')
      .set('authorization', `Bearer ${official('370982')}`)
      .send({ registeredDivisionCode: '640502000000' })
      .expect(403);
    expect(outside.body).toMatchObject({ type: 'https://ecomlog.cn/problems/outside-region' });
    await request(app.getHttpServer())
      .post('/v1/enterprises')
      .set('authorization', `Bearer ${courier('ZTO')}`)
      .send({ registeredDivisionCode: '370982105000' })
      .expect(403);
    await request(app.getHttpServer())
      .post('/v1/scans/ZTO')
      .set('authorization', `Bearer ${official('')}`)
      .expect(403);
  });

  it('slows down a client that exceeds its per-minute budget, with Retry-After', async () => {
    const busy = token({ sub: `courier-${uniqueSuffix()}`, kind: 'courier', carrier: 'ZTO' });
    for (let i = 0; i < 5; i++) {
      await request(app.getHttpServer())
        .post('/v1/scans/ZTO')
        .set('authorization', `Bearer ${busy}`)
        .expect(201);
    }
    const limited = await request(app.getHttpServer())
      .post('/v1/scans/ZTO')
      .set('authorization', `Bearer ${busy}`)
      .expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ type: 'https://ecomlog.cn/problems/rate-limited' });
    // Another client still has its own budget.
    await request(app.getHttpServer())
      .post('/v1/scans/ZTO')
      .set('authorization', `Bearer ${courier('ZTO')}`)
      .expect(201);
  });
});
