import type { EventDefinition } from './event-definition';
import { DivisionChanged } from './registry/division-changed.event';
import { EnterpriseChanged } from './registry/enterprise-changed.event';
import { ClientChanged } from './registry/client-changed.event';
import { SiteChanged } from './sites/site-changed.event';
import { SiteAssessed, TrainingHeld } from './sites/site-activity.event';
import { ScanReceived } from './parcels/scan.event';
import { ParcelStatusChanged } from './parcels/parcel-status-changed.event';
import { OrderFact } from './parcels/order-fact.event';
import { FundsJournalPosted, FundsStateChanged } from './funds/funds-ledger.event';
import { IndicatorCellChanged } from './analytics/indicator-cell.event';

/** Every event the platform publishes; the AsyncAPI document is generated from this list. */
export const EVENT_CATALOGUE: readonly EventDefinition<object>[] = [
  DivisionChanged as EventDefinition<object>,
  EnterpriseChanged as EventDefinition<object>,
  ClientChanged as EventDefinition<object>,
  SiteChanged as EventDefinition<object>,
  SiteAssessed as EventDefinition<object>,
  TrainingHeld as EventDefinition<object>,
  ScanReceived as EventDefinition<object>,
  ParcelStatusChanged as EventDefinition<object>,
  OrderFact as EventDefinition<object>,
  FundsJournalPosted as EventDefinition<object>,
  FundsStateChanged as EventDefinition<object>,
  IndicatorCellChanged as EventDefinition<object>,
];

export function eventDefinitionByType(type: string): EventDefinition<object> | undefined {
  return EVENT_CATALOGUE.find((definition) => definition.type === type);
}
