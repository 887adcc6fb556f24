import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One Prometheus registry per process, served at /metrics. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration by method, route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
});

export const eventsConsumed = new Counter({
  name: 'events_consumed_total',
  help: 'Events handled by a consumer group, by topic',
  labelNames: ['group', 'topic'] as const,
  registers: [metricsRegistry],
});

export const eventsDeadLettered = new Counter({
  name: 'events_dead_lettered_total',
  help: 'Messages sent to a dead-letter topic, by source topic',
  labelNames: ['group', 'topic'] as const,
  registers: [metricsRegistry],
});

export const outboxPublished = new Counter({
  name: 'outbox_events_published_total',
  help: 'Outbox rows published to Kafka, by topic',
  labelNames: ['topic'] as const,
  registers: [metricsRegistry],
});

export const outboxPublishFailures = new Counter({
  name: 'outbox_publish_failures_total',
  help: 'Failed attempts to publish an outbox batch',
  registers: [metricsRegistry],
});

/**
 * Messages of a partition this process's consumer group has not applied yet: the partition's
 * high watermark minus the next offset stored with the group's effects, after each chunk. What an
 * autoscaler scales on (deploy/k8s), beside Kafka's own view of the group's committed offsets.
 */
export const consumerLag = new Gauge({
  name: 'consumer_lag_messages',
  help: 'Messages not yet applied, by consumer group, topic and partition (as of the last chunk)',
  labelNames: ['group', 'topic', 'partition'] as const,
  registers: [metricsRegistry],
});

export const outboxBacklog = new Gauge({
  name: 'outbox_backlog_events',
  help: 'Outbox rows committed but not yet published to Kafka',
  registers: [metricsRegistry],
});
