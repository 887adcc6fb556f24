import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { EnterpriseChangedV1, EnterpriseKind, EnterpriseStatus } from '@ecomlog/contracts';

/**
 * Local read model of registry.enterprises.v1: sites checks site operators (registered, active,
 * of the right kind) and carriers served without calling the registry.
 */
@Entity({ name: 'known_enterprise' })
@Index('known_enterprise_carrier', ['carrierCode'])
export class KnownEnterprise {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'char', length: 18 })
  creditCode!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', array: true })
  kinds!: EnterpriseKind[];

  @Column({ type: 'text', nullable: true })
  carrierCode!: string | null;

  @Column({ type: 'char', length: 12 })
  registeredDivisionCode!: string;

  @Column({ type: 'text' })
  status!: EnterpriseStatus;

  /** Registry's version; older events never overwrite newer state. */
  @Column({ type: 'int' })
  version!: number;

  /** The whole latest event, for rules that need the dated histories. */
  @Column({ type: 'jsonb' })
  state!: EnterpriseChangedV1;
}
