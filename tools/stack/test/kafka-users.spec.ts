import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLATFORM_SERVICES, allServiceAcls, servicePrincipalName } from '@ecomlog/contracts';

/** The broker's static users (stack.sh) are the platform's services, besides broker and admin. */
describe('the local broker signs in exactly the platform services', () => {
  const script = readFileSync(join(__dirname, '..', 'stack.sh'), 'utf8');
  const users = /^readonly KAFKA_STATIC_USERS="([^"]+)"$/m.exec(script)?.[1].split(' ') ?? [];

  it('lists one PLAIN user per platform service, plus the broker and the administrator', () => {
    expect(users.sort()).toEqual(
      ['broker', 'admin', ...PLATFORM_SERVICES.map(servicePrincipalName)].sort(),
    );
  });

  it('grants ACLs only to those service users (clients get theirs from the registry)', () => {
    const principals = new Set(allServiceAcls().map((grant) => grant.principal));
    expect([...principals].sort()).toEqual(
      PLATFORM_SERVICES.map((service) => `User:${servicePrincipalName(service)}`).sort(),
    );
  });
});
