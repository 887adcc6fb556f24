import { startRegistryTestApp, type RegistryTestApp } from './support/registry-test-app';

/**
 * The per-caller budget (RATE_LIMIT_PER_MINUTE) of a whole service: the platform's guards run in
 * order (415, authentication, then the budget of the authenticated caller).
 */
describe('per-caller request budget on the real registry app', () => {
  let registry: RegistryTestApp;

  beforeAll(async () => {
    registry = await startRegistryTestApp({ env: { RATE_LIMIT_PER_MINUTE: '3' } });
  });

  afterAll(async () => {
    await registry?.close();
  });

  it('answers 429 problem+json with Retry-After once a caller has spent its budget, per caller', async () => {
    const first = await registry.tokenFor({ roles: ['admin'] });
    const second = await registry.tokenFor({ roles: ['admin'] });
    for (let i = 0; i < 3; i++) await registry.http(first).get('/v1/officials').expect(200);
    const refused = await registry.http(first).get('/v1/officials').expect(429);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    await registry.http(second).get('/v1/officials').expect(200);
  });
});
