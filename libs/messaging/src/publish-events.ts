import { randomUUID } from 'node:crypto';
import type { EventDefinition } from '@ecomlog/contracts';
import { encodeHeaders } from './cloud-events.codec';
import type { KafkaGateway } from './kafka/kafka-gateway';

/**
 * Produces events straight to their topic as another service's outbox relay would (CloudEvents
 * binary mode, key and subject from the definition), bypassing any outbox: for tests and tools
 * that stand in for the producing service. Services publish through OutboxWriter.
 */
export async function publishEvents<T extends object>(
  kafka: KafkaGateway,
  definition: EventDefinition<T>,
  payloads: T[],
  source = 'it',
): Promise<void> {
  await kafka.publish(
    payloads.map((payload) => ({
      topic: definition.topic.name,
      key: definition.key(payload),
      value: JSON.stringify(payload),
      headers: encodeHeaders({
        id: randomUUID(),
        source,
        type: definition.type,
        specversion: '1.0',
        time: new Date().toISOString(),
        subject: definition.subject(payload),
      }),
    })),
  );
}
