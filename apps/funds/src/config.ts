import { IsKafkaTopic, ServiceEnv } from '@ecomlog/config';

/** Funds configuration; every variable is documented in apps/funds/.env.example. */
export class FundsEnv extends ServiceEnv {
  // This service's defaults; the base class validates them.
  override SERVICE_NAME: string = 'funds';
  override HTTP_PORT: number = 3004;
  override DB_NAME: string = 'funds';

  /**
   * The analytics indicator topic the subsidy sales thresholds are read from. Only an isolated test
   * run points it at a topic of its own; production keeps the declared `analytics.indicators.v1`.
   */
  @IsKafkaTopic()
  INDICATORS_TOPIC: string = 'analytics.indicators.v1';
}
