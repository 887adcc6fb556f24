import { Transform } from 'class-transformer';
import { IsBoolean } from 'class-validator';
import { IsKafkaTopic, ServiceEnv, toBoolean } from '@ecomlog/config';

/** Parcels configuration; every variable is documented in apps/parcels/.env.example. */
export class ParcelsEnv extends ServiceEnv {
  // This service's defaults; the base class validates them.
  override SERVICE_NAME: string = 'parcels';
  override HTTP_PORT: number = 3003;
  override DB_NAME: string = 'parcels';

  /**
   * The topic of the HTTP door (POST /v1/scans), read together with the couriers' Kafka doors.
   * Only a benchmark or an isolated test run points it at a topic of its own (inside the
   * `parcels.` namespace, which is the only one parcels may read and write besides its inputs);
   * production keeps the declared `parcels.scans.v1`.
   */
  @IsKafkaTopic()
  SCANS_TOPIC: string = 'parcels.scans.v1';

  /**
   * Read the couriers' Kafka doors (`parcels.scans.<carrier>.v1`, CARRIER_DOORS in
   * libs/contracts). Off only for an isolated run that feeds SCANS_TOPIC alone.
   */
  @Transform(toBoolean)
  @IsBoolean()
  CARRIER_DOORS_ENABLED: boolean = true;
}
