/**
 * Where each consumer group of a process stands, as its Kafka consumer reports it: `joining`
 * until the first GROUP_JOIN, `joined` after it, `crashed` after a CRASH until it joins again
 * (kafkajs restarting it, or the gateway replacing it). A stopped consumer is forgotten.
 */
export type ConsumerGroupState = 'joining' | 'joined' | 'crashed';

export interface ConsumerGroupStatus {
  groupId: string;
  state: ConsumerGroupState;
  /** When it entered this state (ISO 8601). */
  since: string;
  /** Why it crashed, when it did. */
  reason?: string;
}

export class ConsumerHealth {
  private readonly groups = new Map<string, ConsumerGroupStatus>();

  set(groupId: string, state: ConsumerGroupState, reason?: string): void {
    this.groups.set(groupId, { groupId, state, since: new Date().toISOString(), reason });
  }

  forget(groupId: string): void {
    this.groups.delete(groupId);
  }

  list(): ConsumerGroupStatus[] {
    return [...this.groups.values()].sort((a, b) => a.groupId.localeCompare(b.groupId));
  }

  /** The groups not consuming right now: crashed, or not (yet) joined. */
  unhealthy(): ConsumerGroupStatus[] {
    return this.list().filter((group) => group.state !== 'joined');
  }
}

const healthByGateway = new WeakMap<object, ConsumerHealth>();

/** The consumer health of one KafkaGateway (kept beside it, so the gateway's shape stays as is). */
export function consumerHealthOf(gateway: object): ConsumerHealth {
  let health = healthByGateway.get(gateway);
  if (!health) {
    health = new ConsumerHealth();
    healthByGateway.set(gateway, health);
  }
  return health;
}
