import { IsInt, IsString, Max, Min } from 'class-validator';
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
}
