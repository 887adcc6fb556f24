import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { KafkaGateway, consumerHealthOf, type ConsumerGroupStatus } from '@ecomlog/messaging';
import { reachabilityCheck, type ReadinessCheck } from './readiness-check';

export const databaseCheck = (dataSource: DataSource): ReadinessCheck =>
  reachabilityCheck('database', () => dataSource.query('SELECT 1'));

export const redisCheck = (redis: Redis): ReadinessCheck =>
  reachabilityCheck('redis', async () => (await redis.ping()) === 'PONG');

export const kafkaCheck = (kafka: KafkaGateway): ReadinessCheck =>
  reachabilityCheck('kafka', () => kafka.isReachable(), 4000);

function describeConsumer(group: ConsumerGroupStatus): string {
  return group.state === 'crashed'
    ? `consumer group ${group.groupId} crashed (${group.reason ?? 'no reason given'}) at ${group.since}`
    : `consumer group ${group.groupId} has not joined its group (waiting since ${group.since})`;
}

/**
 * A service whose consumer crashed or never joined its group answers HTTP but applies no events:
 * not ready, so an orchestrator restarts or routes around it.
 */
export const consumerGroupsCheck = (kafka: KafkaGateway): ReadinessCheck => ({
  name: 'consumers',
  run: async () => {
    const groups = consumerHealthOf(kafka).list();
    return {
      value: Object.fromEntries(groups.map((group) => [group.groupId, group.state])),
      problems: groups.filter((group) => group.state !== 'joined').map(describeConsumer),
    };
  },
});
