import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { SiteKind, SiteService, SiteStatus } from '@ecomlog/contracts';
import { CreatedVersionedRecord, DatedStatusEntry } from '@ecomlog/persistence';

/** A site of the service network or a logistics facility; its status lives in the dated history. */
@Entity({ name: 'site' })
@Index('site_name_unique', ['divisionCode', 'kind', 'name'], { unique: true })
export class Site extends CreatedVersionedRecord {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  kind!: SiteKind;

  @Column({ type: 'char', length: 12 })
  divisionCode!: string;

  @Column({ type: 'uuid' })
  operatorEnterpriseId!: string;

  /** Carrier codes served, sorted. */
  @Column({ type: 'text', array: true })
  carriers!: string[];

  /** Sorted in the order of SITE_SERVICES. */
  @Column({ type: 'text', array: true })
  services!: SiteService[];

  @Column({ type: 'int', nullable: true })
  dailyCapacity!: number | null;

  @Column({ type: 'text', nullable: true })
  address!: string | null;

  @Column({ type: 'double precision', nullable: true })
  latitude!: number | null;

  @Column({ type: 'double precision', nullable: true })
  longitude!: number | null;

  @Column({ type: 'boolean' })
  coldChain!: boolean;

  @Column({ type: 'boolean' })
  cloudWarehouse!: boolean;
}

/** One dated entry of a site's status history; at most one per site and day. */
@Entity({ name: 'site_status_entry' })
export class SiteStatusEntry extends DatedStatusEntry<SiteStatus> {
  @PrimaryColumn({ type: 'uuid' })
  siteId!: string;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  /** Subject of the official (or client) who recorded it; null for system writes. */
  @Column({ type: 'text', nullable: true })
  recordedBy!: string | null;
}

export const SITE_ENTITIES = [Site, SiteStatusEntry];
