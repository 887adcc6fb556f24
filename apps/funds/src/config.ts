import { IsInt, IsString, Max, Min } from 'class-validator';
import { ServiceEnv } from '@ecomlog/config';

/** Funds configuration; every variable is documented in apps/funds/.env.example. */
export class FundsEnv extends ServiceEnv {
  @IsString()
  override SERVICE_NAME: string = 'funds';

  @IsInt()
  @Min(0)
  @Max(65535)
  override HTTP_PORT: number = 3004;

  @IsString()
  override DB_NAME: string = 'funds';
}
