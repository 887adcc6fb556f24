import { IsInt, IsString, Max, Min } from 'class-validator';
import { ServiceEnv } from '@ecomlog/config';

/** Sites configuration; every variable is documented in apps/sites/.env.example. */
export class SitesEnv extends ServiceEnv {
  @IsString()
  override SERVICE_NAME: string = 'sites';

  @IsInt()
  @Min(0)
  @Max(65535)
  override HTTP_PORT: number = 3002;

  @IsString()
  override DB_NAME: string = 'sites';
}
