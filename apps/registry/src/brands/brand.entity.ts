import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { VersionedRecord } from '@ecomlog/persistence';

/** 区域公共品牌: a regional public brand, held by a division (province to village). */
@Entity({ name: 'brand' })
export class Brand extends VersionedRecord {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text', unique: true })
  name!: string;

  /** The region whose brand it is; only enterprises registered inside it can be authorised. */
  @Column({ type: 'char', length: 12 })
  divisionCode!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;
}

/** An enterprise authorised to use a brand (授权使用). */
@Entity({ name: 'brand_authorisation' })
@Index('brand_authorisation_enterprise', ['enterpriseId'])
export class BrandAuthorisation {
  @PrimaryColumn({ type: 'uuid' })
  brandId!: string;

  @PrimaryColumn({ type: 'uuid' })
  enterpriseId!: string;

  @Column({ type: 'date' })
  authorisedOn!: string;

  @Column({ type: 'timestamptz' })
  recordedAt!: Date;
}

/** A product in the brand library (公共品牌库), made by an authorised enterprise. */
@Entity({ name: 'brand_product' })
@Index('brand_product_brand_enterprise', ['brandId', 'enterpriseId'])
export class BrandProduct {
  /** 追溯码, unique across every brand. */
  @PrimaryColumn({ type: 'text' })
  traceabilityCode!: string;

  @Column({ type: 'uuid' })
  brandId!: string;

  @Column({ type: 'uuid' })
  enterpriseId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'timestamptz' })
  recordedAt!: Date;
}

export const BRAND_ENTITIES = [Brand, BrandAuthorisation, BrandProduct];
