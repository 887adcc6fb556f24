import { IsInt, IsString, Max, Min } from 'class-validator';
import { ServiceEnv } from '@ecomlog/config';

/** Registry configuration; every variable is documented in apps/registry/.env.example. */
export class RegistryEnv extends ServiceEnv {
  @IsString()
  override SERVICE_NAME: string = 'registry';

  @IsInt()
  @Min(0)
  @Max(65535)
  override HTTP_PORT: number = 3001;

  @IsString()
  override DB_NAME: string = 'registry';

  /** Lifetime of machine-client tokens (couriers, platforms). */
  @IsInt()
  @Min(60)
  @Max(86400)
  CLIENT_TOKEN_TTL_SECONDS: number = 3600;

  /** Lifetime of officials' tokens (one working day by default). */
  @IsInt()
  @Min(60)
  @Max(86400)
  OFFICIAL_TOKEN_TTL_SECONDS: number = 8 * 3600;
}
