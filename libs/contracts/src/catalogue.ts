import type { EventDefinition } from './event-definition';
import { DivisionChanged } from './registry/division-changed.event';
import { EnterpriseChanged } from './registry/enterprise-changed.event';

/** Every event the platform publishes; the AsyncAPI document is generated from this list. */
export const EVENT_CATALOGUE: readonly EventDefinition<object>[] = [
  DivisionChanged as EventDefinition<object>,
  EnterpriseChanged as EventDefinition<object>,
];

export function eventDefinitionByType(type: string): EventDefinition<object> | undefined {
  return EVENT_CATALOGUE.find((definition) => definition.type === type);
}
