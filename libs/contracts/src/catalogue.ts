import type { EventDefinition } from './event-definition';
import { DivisionChanged } from './registry/division-changed.event';
import { EnterpriseChanged } from './registry/enterprise-changed.event';
import { SiteChanged } from './sites/site-changed.event';
import { SiteAssessed, TrainingHeld } from './sites/site-activity.event';

/** Every event the platform publishes; the AsyncAPI document is generated from this list. */
export const EVENT_CATALOGUE: readonly EventDefinition<object>[] = [
  DivisionChanged as EventDefinition<object>,
  EnterpriseChanged as EventDefinition<object>,
  SiteChanged as EventDefinition<object>,
  SiteAssessed as EventDefinition<object>,
  TrainingHeld as EventDefinition<object>,
];

export function eventDefinitionByType(type: string): EventDefinition<object> | undefined {
  return EVENT_CATALOGUE.find((definition) => definition.type === type);
}
