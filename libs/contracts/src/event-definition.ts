import type { TopicDeclaration } from './topics';

/**
 * One kind of event: its CloudEvents type, the topic it travels on, its payload class (validated
 * with class-validator on produce and on consume) and how its key and subject are derived.
 */
export interface EventDefinition<T extends object> {
  /** Reverse-DNS and versioned, e.g. `cn.ecomlog.registry.division-changed.v1`. */
  readonly type: string;
  readonly topic: TopicDeclaration;
  readonly payload: new () => T;
  readonly key: (payload: T) => string;
  readonly subject: (payload: T) => string;
  readonly summary: string;
  /** A realistic example, used in the AsyncAPI document and checked against the payload class. */
  readonly example: T;
}

export const EVENT_TYPE_PATTERN = /^cn\.ecomlog\.[a-z]+\.[a-z-]+\.v\d+$/;

export function defineEvent<T extends object>(definition: EventDefinition<T>): EventDefinition<T> {
  if (!EVENT_TYPE_PATTERN.test(definition.type)) {
    throw new Error(`Event type ${definition.type} must match ${String(EVENT_TYPE_PATTERN)}`);
  }
  return definition;
}
