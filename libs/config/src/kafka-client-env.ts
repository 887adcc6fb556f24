import { IsIn, IsNotEmpty, IsString, Matches } from 'class-validator';

/** A Kafka topic name, for a variable naming a topic a process reads or writes. */
export function IsKafkaTopic(): PropertyDecorator {
  return Matches(/^[A-Za-z0-9._-]{1,200}$/, { message: '$property must be a Kafka topic name' });
}

/**
 * How a platform process reaches and signs in to Kafka; the base of every service's environment
 * (ServiceEnv) and of the dashboard's. Every client listener of the broker requires SASL.
 */
export class KafkaClientEnv {
  /** Comma-separated host:port list. */
  @Matches(/^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$/, {
    message: 'KAFKA_BROKERS must be a comma-separated list of host:port',
  })
  KAFKA_BROKERS: string = '127.0.0.1:9092';

  /** `plain` on the local stack (static users of tools/stack/stack.sh), `scram-sha-512` under Strimzi. */
  @IsIn(['plain', 'scram-sha-256', 'scram-sha-512'])
  KAFKA_SASL_MECHANISM: 'plain' | 'scram-sha-256' | 'scram-sha-512' = 'plain';

  /** This process's Kafka user (svc-<service>); its ACLs come from libs/contracts kafka-access.ts. */
  @Matches(/^[A-Za-z0-9._-]{1,100}$/, {
    message: 'KAFKA_USERNAME must be a Kafka user name such as svc-parcels',
  })
  KAFKA_USERNAME!: string;

  @IsString()
  @IsNotEmpty({
    message:
      'KAFKA_PASSWORD must be set: the password of KAFKA_USERNAME on the broker (the local stack keeps them in .stack/kafka/principals.json)',
  })
  KAFKA_PASSWORD!: string;

  get kafkaBrokers(): string[] {
    return this.KAFKA_BROKERS.split(',');
  }

  get kafkaCredentials(): {
    mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
    username: string;
    password: string;
  } {
    return {
      mechanism: this.KAFKA_SASL_MECHANISM,
      username: this.KAFKA_USERNAME,
      password: this.KAFKA_PASSWORD,
    };
  }
}
