import { ServiceEnv } from '@ecomlog/config';

/** Sites configuration; every variable is documented in apps/sites/.env.example. */
export class SitesEnv extends ServiceEnv {
  // This service's defaults; the base class validates them.
  override SERVICE_NAME: string = 'sites';
  override HTTP_PORT: number = 3002;
  override DB_NAME: string = 'sites';
}
