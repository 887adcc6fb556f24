import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { DivisionStatus } from '@ecomlog/contracts';
import { VersionedRecord } from '@ecomlog/persistence';

/** What made a division's version: the kind of change recorded in its history. */
export const DIVISION_CHANGES = [
  'baseline',
  'imported',
  'reimported',
  'created',
  'amended',
  'renamed',
  'retired',
  'merged',
] as const;
export type DivisionChange = (typeof DIVISION_CHANGES)[number];

/**
 * One version of a division, append-only (a trigger refuses UPDATE and DELETE): every change of
 * `division` writes the state it produced here, in the same transaction as its outbox event.
 */
@Entity({ name: 'division_history' })
@Unique('division_history_code_version', ['code', 'version'])
export class DivisionHistory extends VersionedRecord {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'char', length: 12 })
  code!: string;

  @Column({ type: 'text' })
  change!: DivisionChange;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  status!: DivisionStatus;

  @Column({ type: 'char', length: 12, nullable: true })
  replacedBy!: string | null;

  /** The official (token subject) who made the change; null for changes made before auth. */
  @Column({ type: 'text', nullable: true })
  changedBy!: string | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  /** The day the change takes effect, when the official gave one (YYYY-MM-DD). */
  @Column({ type: 'date', nullable: true })
  effectiveOn!: string | null;
}
