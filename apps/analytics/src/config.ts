import { IsInt, Matches, Max, Min } from 'class-validator';
import { ServiceEnv } from '@ecomlog/config';

/** Analytics configuration; every variable is documented in apps/analytics/.env.example. */
export class AnalyticsEnv extends ServiceEnv {
  // This service's defaults; the base class validates them.
  override SERVICE_NAME: string = 'analytics';
  override HTTP_PORT: number = 3005;
  override DB_NAME: string = 'analytics';

  /** Seven consumers (partitions in parallel), the publisher and HTTP queries share the pool. */
  @IsInt()
  @Min(1)
  @Max(200)
  override DB_POOL_SIZE: number = 20;

  /** How often changed cells are published to analytics.indicators.v1 (0 = never, e.g. a read replica). */
  @IsInt()
  @Min(0)
  @Max(60_000)
  INDICATOR_PUBLISH_INTERVAL_MS: number = 1000;

  /** Division levels that get cells of their own on the topic (finer levels: ask the query API). */
  @Matches(/^(province|city|county|town|village)(,(province|city|county|town|village))*$/, {
    message:
      'INDICATOR_PUBLISH_LEVELS must be a comma-separated list of province, city, county, town, village',
  })
  INDICATOR_PUBLISH_LEVELS: string = 'province,city,county,town';
}
