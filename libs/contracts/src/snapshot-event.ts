import { IsISO8601 } from 'class-validator';
import { defineEvent, type EventDefinition } from './event-definition';
import { VersionNumber } from './field-rules';

/**
 * What every snapshot event (the latest full state of one aggregate) ends with: the aggregate's
 * version, which increases by one with every change so that read models keep the highest, and
 * when that change was made. class-validator and the AsyncAPI generator read these rules for
 * each subclass as if it declared them itself, after its own fields.
 */
export abstract class SnapshotEventV1 {
  /** Increases by one with every change of the aggregate; read models keep the highest. */
  @VersionNumber()
  version!: number;

  @IsISO8601({ strict: true })
  changedAt!: string;
}

/**
 * A snapshot event's definition: keyed by its aggregate's `id`, so every state of one aggregate
 * lands on one partition (and a compacted topic keeps the latest), with `<collection>/<id>` as
 * its subject.
 */
export interface SnapshotEventDefinition<T extends SnapshotEventV1> extends Omit<
  EventDefinition<T>,
  'key' | 'subject'
> {
  /** What the subject names the aggregates, e.g. `enterprises`. */
  readonly collection: string;
  readonly id: (payload: T) => string;
}

export function defineSnapshotEvent<T extends SnapshotEventV1>({
  collection,
  id,
  ...definition
}: SnapshotEventDefinition<T>): EventDefinition<T> {
  return defineEvent<T>({
    ...definition,
    key: id,
    subject: (payload) => `${collection}/${id(payload)}`,
  });
}
