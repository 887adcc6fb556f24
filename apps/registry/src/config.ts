import { IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ServiceEnv } from '@ecomlog/config';

/** Registry configuration; every variable is documented in apps/registry/.env.example. */
export class RegistryEnv extends ServiceEnv {
  // This service's defaults; the base class validates them.
  override SERVICE_NAME: string = 'registry';
  override HTTP_PORT: number = 3001;
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

  /**
   * Added to machine clients' tokens beside AUTH_AUDIENCE, so the same token signs a courier or
   * subscriber in to Kafka (the broker's sasl.oauthbearer.expected.audience).
   */
  @IsString()
  @IsNotEmpty()
  KAFKA_TOKEN_AUDIENCE: string = 'kafka';

  /**
   * Where the broker reads the registry's public keys (its OAUTHBEARER JWKS file; the local stack
   * uses .stack/kafka/jwks.json). Unset: the broker fetches GET /.well-known/jwks.json itself.
   */
  @IsOptional()
  @Matches(/^\/\S+$/, { message: 'KAFKA_JWKS_FILE must be an absolute file path' })
  KAFKA_JWKS_FILE?: string;

  /**
   * How often the registry re-applies its clients' Kafka ACLs (and rewrites KAFKA_JWKS_FILE), in
   * milliseconds; changes made through the API are applied at once. 0 turns it off (tests of
   * other services that run a registry without a broker's admin rights).
   */
  @IsInt()
  @Min(0)
  @Max(600000)
  KAFKA_ACCESS_SYNC_MS: number = 15000;
}
