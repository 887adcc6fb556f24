import { Column, Entity, Index } from 'typeorm';
import type { DivisionStatus } from '@ecomlog/contracts';
import { DivisionRecord } from '@ecomlog/persistence';

/**
 * Local read model of registry.divisions.v1: sites checks that a site's division exists and fits
 * its kind without calling the registry.
 */
@Entity({ name: 'known_division' })
@Index('known_division_parent', ['parentCode'])
export class KnownDivision extends DivisionRecord {
  @Column({ type: 'boolean' })
  administrativeVillage!: boolean;

  @Column({ type: 'text' })
  status!: DivisionStatus;

  @Column({ type: 'char', length: 12, nullable: true })
  replacedBy!: string | null;

  /** Registry's version of the division; older events never overwrite newer state. */
  @Column({ type: 'int' })
  version!: number;

  /**
   * Change events processed for this division. With exactly-once consumption it equals the number
   * of events the registry published for it — the skeleton end-to-end test checks exactly that.
   */
  @Column({ type: 'int' })
  eventsSeen!: number;
}
