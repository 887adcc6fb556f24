import { IsInt, IsString, Max, Min } from 'class-validator';
import { ServiceEnv } from '@ecomlog/config';

/** Analytics configuration; every variable is documented in apps/analytics/.env.example. */
export class AnalyticsEnv extends ServiceEnv {
  @IsString()
  override SERVICE_NAME: string = 'analytics';

  @IsInt()
  @Min(0)
  @Max(65535)
  override HTTP_PORT: number = 3005;

  @IsString()
  override DB_NAME: string = 'analytics';
}
