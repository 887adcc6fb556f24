/**
 * Where the demo finds the services and keeps its state: the same port variables as
 * tools/services.sh, and `$STACK_DIR/demo/` (git-ignored, owner-only) for credentials and the
 * world the simulator needs.
 */
import { join, resolve } from 'node:path';
import type { DemoWorld } from './generators';
import { readJson, writePrivateJson } from './demo-http';

export const ROOT = resolve(__dirname, '..', '..');
export const STACK_DIR = process.env.STACK_DIR ?? join(ROOT, '.stack');
export const DEMO_DIR = process.env.DEMO_DIR ?? join(STACK_DIR, 'demo');

const url = (variable: string, port: number): string =>
  `http://127.0.0.1:${process.env[variable] ?? port}`;

export const services = {
  registry: url('REGISTRY_PORT', 3001),
  sites: url('SITES_PORT', 3002),
  parcels: url('PARCELS_PORT', 3003),
  funds: url('FUNDS_PORT', 3004),
  analytics: url('ANALYTICS_PORT', 3005),
  dashboard: url('DASHBOARD_PORT', 3006),
};

export const kafkaBrokers = (
  process.env.KAFKA_BROKERS ?? `127.0.0.1:${process.env.KAFKA_PORT ?? '9092'}`
).split(',');

export const DEFAULT_COUNTY = '370982';

export interface Login {
  username: string;
  password: string;
}

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** Secrets of one county's demo: officials' passwords and machine clients' secrets. */
export interface CountyCredentials {
  officials: Record<string, Login>;
  /** Keyed `courier:ZTO`, `platform:taobao`. */
  clients: Record<string, ClientCredentials>;
}

export const paths = {
  admin: (): string => join(DEMO_DIR, 'admin.json'),
  credentials: (county: string): string => join(DEMO_DIR, county, 'credentials.json'),
  world: (county: string): string => join(DEMO_DIR, county, 'world.json'),
};

export function readAdmin(): Login | null {
  return readJson<Login | null>(paths.admin(), null);
}

export function readCredentials(county: string): CountyCredentials {
  return readJson<CountyCredentials>(paths.credentials(county), { officials: {}, clients: {} });
}

export function writeCredentials(county: string, credentials: CountyCredentials): void {
  writePrivateJson(paths.credentials(county), credentials);
}

export function readWorld(county: string): DemoWorld | null {
  return readJson<DemoWorld | null>(paths.world(county), null);
}

/** Command-line `--name value` options. */
export function argOf(argv: string[], name: string): string | undefined {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? argv[index + 1] : undefined;
}

export function countyArg(argv: string[]): string {
  const county = argOf(argv, 'county') ?? process.env.DEMO_COUNTY ?? DEFAULT_COUNTY;
  if (!/^\d{6}$/.test(county)) {
    throw new Error(`--county must be a 6-digit county code such as 370982 (got ${county})`);
  }
  return county;
}
