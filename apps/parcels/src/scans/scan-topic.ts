import {
  ScanReceived,
  carrierDoorDeclarations,
  type EventDefinition,
  type ScanV1,
} from '@ecomlog/contracts';

/**
 * The scan event as read from (and written to) a given topic: the declared `parcels.scans.v1`,
 * or a benchmark's own topic, so a benchmark never writes into (or trims) the shared topic.
 */
export function scanDefinitionOn(topicName: string): EventDefinition<ScanV1> {
  return topicName === ScanReceived.topic.name
    ? ScanReceived
    : { ...ScanReceived, topic: { ...ScanReceived.topic, name: topicName } };
}

/** The scan event on every courier's Kafka door (one topic per carrier in CARRIER_DOORS). */
export function carrierDoorScanDefinitions(): EventDefinition<ScanV1>[] {
  return carrierDoorDeclarations().map((topic) => ({ ...ScanReceived, topic }));
}
