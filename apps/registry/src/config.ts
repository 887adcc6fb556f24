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
}
