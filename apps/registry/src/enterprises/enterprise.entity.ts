import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type {
  EnterpriseDesignationLevel,
  EnterpriseKind,
  EnterpriseStatus,
  LogisticsRating,
} from '@ecomlog/contracts';
import { CreatedVersionedRecord, DatedStatusEntry } from '@ecomlog/persistence';

/** 企业: one enterprise, identified by its 统一社会信用代码 and keyed by a uuid. */
@Entity({ name: 'enterprise' })
@Index('enterprise_division', ['registeredDivisionCode'])
export class Enterprise extends CreatedVersionedRecord {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'char', length: 18, unique: true })
  creditCode!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', array: true })
  kinds!: EnterpriseKind[];

  @Column({ type: 'text', nullable: true })
  carrierCode!: string | null;

  @Column({ type: 'text', nullable: true })
  logisticsRating!: LogisticsRating | null;

  @Column({ type: 'char', length: 12 })
  registeredDivisionCode!: string;

  @Column({ type: 'date' })
  registeredOn!: string;

  /** The status of the latest entry of the history (entries are never dated in the future). */
  @Column({ type: 'text' })
  status!: EnterpriseStatus;

  @Column({ type: 'boolean' })
  taxRegisteredLocally!: boolean;

  @Column({ type: 'boolean' })
  independentLegalEntity!: boolean;
}

/** One dated entry of an enterprise's status history. */
@Entity({ name: 'enterprise_status_change' })
export class EnterpriseStatusChange extends DatedStatusEntry<EnterpriseStatus> {
  @PrimaryColumn({ type: 'uuid' })
  enterpriseId!: string;
}

/** A 失信 listing: blacklisted from `startsOn` until the day before `endsOn` (null: still listed). */
@Entity({ name: 'enterprise_blacklist_period' })
@Index('enterprise_blacklist_period_enterprise', ['enterpriseId'])
export class EnterpriseBlacklistPeriod {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid' })
  enterpriseId!: string;

  @Column({ type: 'date' })
  startsOn!: string;

  @Column({ type: 'date', nullable: true })
  endsOn!: string | null;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'timestamptz' })
  recordedAt!: Date;
}

/** 示范企业: one designation per level and year. */
@Entity({ name: 'enterprise_designation' })
export class EnterpriseDesignation {
  @PrimaryColumn({ type: 'uuid' })
  enterpriseId!: string;

  @PrimaryColumn({ type: 'text' })
  level!: EnterpriseDesignationLevel;

  @PrimaryColumn({ type: 'int' })
  year!: number;

  @Column({ type: 'text', nullable: true })
  title!: string | null;

  @Column({ type: 'timestamptz' })
  recordedAt!: Date;
}

/** 网店: `(platform, shopId)` is owned by exactly one enterprise. */
@Entity({ name: 'shop' })
@Index('shop_enterprise', ['enterpriseId'])
export class Shop {
  @PrimaryColumn({ type: 'text' })
  platform!: string;

  @PrimaryColumn({ type: 'text' })
  shopId!: string;

  @Column({ type: 'uuid' })
  enterpriseId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'timestamptz' })
  registeredAt!: Date;
}

export const ENTERPRISE_ENTITIES = [
  Enterprise,
  EnterpriseStatusChange,
  EnterpriseBlacklistPeriod,
  EnterpriseDesignation,
  Shop,
];
