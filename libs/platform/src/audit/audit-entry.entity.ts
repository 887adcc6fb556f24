import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One change made by a person or client: who, when, what, before and after. Append-only. */
@Entity({ name: 'audit_entry' })
@Index('audit_entry_entity', ['entityType', 'entityId', 'id'])
@Index('audit_entry_actor', ['actorSubject', 'id'])
export class AuditEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;

  @Column({ type: 'text' })
  actorSubject!: string;

  @Column({ type: 'text' })
  actorKind!: string;

  /** e.g. `division.renamed`, `enterprise.blacklisted`. */
  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text' })
  entityType!: string;

  @Column({ type: 'text' })
  entityId!: string;

  @Column({ type: 'jsonb', nullable: true })
  before!: unknown;

  @Column({ type: 'jsonb', nullable: true })
  after!: unknown;

  @Column({ type: 'text', nullable: true })
  correlationId!: string | null;
}
