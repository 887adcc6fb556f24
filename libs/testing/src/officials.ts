import type { ServiceProcess } from './service-process';
import { uniqueSuffix } from './stack-settings';

/**
 * Creates an administrator through the registry's own CLI (there is no default account) and logs
 * in through its HTTP API; returns the bearer token.
 */
export async function adminToken(registry: ServiceProcess, regionPrefix = ''): Promise<string> {
  const username = `admin-${uniqueSuffix()}`;
  const output = await registry.runCli('create-admin', [username, regionPrefix]);
  const password = /^password: (\S+)$/m.exec(output)?.[1];
  if (!password) throw new Error(`create-admin printed no password: ${output}`);
  const response = await fetch(`${registry.baseUrl}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200)
    throw new Error(`login answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}
