import { Column, PrimaryColumn } from 'typeorm';
import type { DivisionLevel } from '@ecomlog/contracts';

// Column blocks several services' entities share, as abstract bases (TypeORM maps the columns of
// a class's ancestors with its own). Each is exactly what those tables' migrations created; a
// table whose columns differ (another default, nullability or type) declares its own.

/** A record published as a versioned event: its version and when it last changed. */
export abstract class VersionedRecord {
  @Column({ type: 'int' })
  version!: number;

  @Column({ type: 'timestamptz' })
  changedAt!: Date;
}

/** A versioned record that also keeps when it was created. */
export abstract class CreatedVersionedRecord extends VersionedRecord {
  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}

/**
 * One dated entry of a status history, keyed by its owner's id (the subclass's primary column)
 * and the Asia/Shanghai day from which the status holds.
 */
export abstract class DatedStatusEntry<S extends string> {
  @PrimaryColumn({ type: 'date' })
  effectiveFrom!: string;

  @Column({ type: 'text' })
  status!: S;

  @Column({ type: 'timestamptz' })
  recordedAt!: Date;
}

/** An administrative division by its 12-digit statistical code, as registry and sites store it. */
export abstract class DivisionRecord {
  @PrimaryColumn({ type: 'char', length: 12 })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  level!: DivisionLevel;

  @Column({ type: 'char', length: 12, nullable: true })
  parentCode!: string | null;
}
