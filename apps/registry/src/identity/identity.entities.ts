import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OfficialRole } from '@ecomlog/auth';

export const CLIENT_KINDS = ['courier', 'platform', 'subscriber'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

/** An Ed25519 key the registry signs tokens with; retired keys stay published until tokens expire. */
@Entity({ name: 'signing_key' })
export class SigningKey {
  @PrimaryColumn({ type: 'text' })
  kid!: string;

  /** PKCS#8 PEM. The registry database is the key store; restrict access to it accordingly. */
  @Column({ type: 'text' })
  privateKeyPem!: string;

  @Column({ type: 'jsonb' })
  publicJwk!: Record<string, unknown>;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;
}

/**
 * A machine client: a courier's or a platform's system bound to its enterprise, or an indicator
 * subscriber (a provincial big-data centre, a BI tool) that reads analytics.indicators.v1.
 */
@Entity({ name: 'api_client' })
export class ApiClient {
  @PrimaryColumn({ type: 'text' })
  clientId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  kind!: ClientKind;

  /** Required for couriers and platforms; a subscriber may be bound to none. */
  @Column({ type: 'text', nullable: true })
  enterpriseId!: string | null;

  @Column({ type: 'text', nullable: true })
  carrierCode!: string | null;

  @Column({ type: 'text', nullable: true })
  platformCode!: string | null;

  @Column({ type: 'text' })
  secretHash!: string;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  secretRotatedAt!: Date;

  /** Increases with every change of kind-relevant state (active); see ClientChanged. */
  @Column({ type: 'integer', default: 1 })
  version!: number;
}

/** A government official with roles and a region scope (division-code prefix). */
@Entity({ name: 'official_user' })
export class OfficialUser {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text', unique: true })
  username!: string;

  @Column({ type: 'text' })
  displayName!: string;

  @Column({ type: 'text', array: true })
  roles!: OfficialRole[];

  @Column({ type: 'text' })
  regionPrefix!: string;

  @Column({ type: 'text' })
  passwordHash!: string;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
