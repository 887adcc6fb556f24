import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { ServiceEnv } from '@ecomlog/config';

/** Parcels configuration; every variable is documented in apps/parcels/.env.example. */
export class ParcelsEnv extends ServiceEnv {
  @IsString()
  override SERVICE_NAME: string = 'parcels';

  @IsInt()
  @Min(0)
  @Max(65535)
  override HTTP_PORT: number = 3003;

  @IsString()
  override DB_NAME: string = 'parcels';

  /**
   * The couriers' scan topic (both doors). Only a benchmark or an isolated test run points it at a
   * topic of its own; production keeps the declared `parcels.scans.v1`.
   */
  @Matches(/^[A-Za-z0-9._-]{1,200}$/, { message: 'SCANS_TOPIC must be a Kafka topic name' })
  SCANS_TOPIC: string = 'parcels.scans.v1';
}
