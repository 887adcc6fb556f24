import { ProblemException } from '@ecomlog/http';
import { assertOwnCarrier, assertOwnPlatform } from './client-scope';
import type { Principal } from './principal';

const courier: Principal = {
  subject: 'c-1',
  kind: 'courier',
  roles: [],
  regionPrefix: '',
  carrierCode: 'sf',
};
const platform: Principal = {
  subject: 'p-1',
  kind: 'platform',
  roles: [],
  regionPrefix: '',
  platformCode: 'taobao',
};
const official: Principal = {
  subject: 'u-1',
  kind: 'official',
  roles: ['commerce'],
  regionPrefix: '',
};

function refusal(run: () => void): ProblemException {
  try {
    run();
  } catch (error) {
    return error as ProblemException;
  }
  throw new Error('expected a refusal');
}

describe('client scopes', () => {
  it('lets a client write for its own code, and other kinds for any', () => {
    expect(() => assertOwnCarrier(courier, 'sf')).not.toThrow();
    expect(() => assertOwnPlatform(platform, 'taobao')).not.toThrow();
    expect(() => assertOwnCarrier(platform, 'sf')).not.toThrow();
    expect(() => assertOwnPlatform(courier, 'taobao')).not.toThrow();
    expect(() => assertOwnCarrier(official, 'yto')).not.toThrow();
  });

  it('refuses another code with 403 other-carrier / other-platform', () => {
    const carrier = refusal(() => assertOwnCarrier(courier, 'yto'));
    expect(carrier.getStatus()).toBe(403);
    expect(carrier.problemType).toBe('other-carrier');
    expect(carrier.title).toBe('Another carrier');
    expect(carrier.message).toBe('This client acts for carrier sf and may not write for yto.');
    const other = refusal(() => assertOwnPlatform({ ...platform, platformCode: undefined }, 'jd'));
    expect(other.problemType).toBe('other-platform');
    expect(other.title).toBe('Another platform');
    expect(other.message).toBe('This client acts for platform (none) and may not write for jd.');
  });
});
