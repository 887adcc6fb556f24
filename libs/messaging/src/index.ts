export * from './kafka/kafka-gateway';
export * from './kafka/consumer-health';
export * from './cloud-events.codec';
export * from './outbox/outbox-event.entity';
export * from './outbox/outbox.writer';
export * from './outbox/outbox.relay';
export * from './consumer/consumer-offset.entity';
export * from './consumer/event-consumer';
export * from './consumer/batch-consumer.runner';
export * from './consumer/decode-record';
export * from './read-model/snapshot-table';
export * from './read-model/snapshot-read-model.consumer';
export * from './read-model/snapshot-columns';
export * from './read-model/event-columns';
export * from './topic-admin';
export * from './publish-events';
export { MessagingTables1732000000000 } from './migrations/1732000000000-MessagingTables';

import { ConsumerOffset } from './consumer/consumer-offset.entity';
import { OutboxEvent } from './outbox/outbox-event.entity';
import { MessagingTables1732000000000 } from './migrations/1732000000000-MessagingTables';

/** Entities and migrations every service adds to its data source. */
export const MESSAGING_ENTITIES = [OutboxEvent, ConsumerOffset];
export const MESSAGING_MIGRATIONS = [MessagingTables1732000000000];
