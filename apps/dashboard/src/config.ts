import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { IsKafkaTopic, ProcessEnv } from '@ecomlog/config';

const SERVICE_URL = /^https?:\/\/[^\s/]+(\/[^\s]*)?$/;
const serviceUrl = (name: string) => ({
  message: `${name} must be an http(s) base URL such as http://127.0.0.1:3001`,
});

/**
 * Dashboard configuration; every variable is documented in apps/dashboard/.env.example.
 *
 * The dashboard owns no data, so it has no database and no Redis: it extends ProcessEnv, not ServiceEnv
 * (whose DB_* variables are required) and does not stand on PlatformModule (which migrates a
 * database at start). It needs Kafka for the live feed and the registry's keys for tokens (both
 * configured as for a service, by ProcessEnv).
 */
export class DashboardEnv extends ProcessEnv {
  // The dashboard's defaults; the base class validates them.
  override SERVICE_NAME: string = 'dashboard';
  /** tools/services.sh sets it from DASHBOARD_PORT. */
  override HTTP_PORT: number = 3006;

  // --- The services the browser reaches through /api/<service>/… (same origin, no CORS) ---
  @Matches(SERVICE_URL, serviceUrl('REGISTRY_URL'))
  REGISTRY_URL: string = 'http://127.0.0.1:3001';

  @Matches(SERVICE_URL, serviceUrl('SITES_URL'))
  SITES_URL: string = 'http://127.0.0.1:3002';

  @Matches(SERVICE_URL, serviceUrl('PARCELS_URL'))
  PARCELS_URL: string = 'http://127.0.0.1:3003';

  @Matches(SERVICE_URL, serviceUrl('FUNDS_URL'))
  FUNDS_URL: string = 'http://127.0.0.1:3004';

  @Matches(SERVICE_URL, serviceUrl('ANALYTICS_URL'))
  ANALYTICS_URL: string = 'http://127.0.0.1:3005';

  /** A proxied call that has not answered after this long gets a 504 problem. */
  @IsInt()
  @Min(1000)
  @Max(300000)
  PROXY_TIMEOUT_MS: number = 30000;

  // --- Kafka (KafkaClientEnv): the live feed reads the indicator topic ---
  @IsKafkaTopic()
  INDICATORS_TOPIC: string = 'analytics.indicators.v1';

  /** A comment line is sent on every open live stream this often, so proxies keep it open. */
  @IsInt()
  @Min(1000)
  @Max(120000)
  LIVE_HEARTBEAT_MS: number = 15000;

  /**
   * Folder of the browser code (index.html, ES modules, CSS). Empty: apps/dashboard/public of the
   * checkout the process runs from (the build compiles TypeScript only; the front end is served
   * as written).
   */
  @IsString()
  DASHBOARD_STATIC_DIR: string = '';

  /** Base URL of each proxied service, by the path segment the browser uses. */
  get serviceUrls(): Record<ProxiedService, string> {
    return {
      registry: this.REGISTRY_URL,
      sites: this.SITES_URL,
      parcels: this.PARCELS_URL,
      funds: this.FUNDS_URL,
      analytics: this.ANALYTICS_URL,
    };
  }
}

export const PROXIED_SERVICES = ['registry', 'sites', 'parcels', 'funds', 'analytics'] as const;
export type ProxiedService = (typeof PROXIED_SERVICES)[number];
