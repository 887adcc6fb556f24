import { IsBoolean, IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { defineSnapshotEvent, SnapshotEventV1 } from '../snapshot-event';
import { TOPICS } from '../topics';

export const MACHINE_CLIENT_KINDS = ['courier', 'platform', 'subscriber'] as const;
export type MachineClientKind = (typeof MACHINE_CLIENT_KINDS)[number];

/**
 * The latest state of one machine client of the registry (never its secret). Services that
 * machine clients call keep it so a client disabled in the registry is refused at their HTTP
 * doors too, while the tokens it already holds have not expired.
 */
export class ClientChangedV1 extends SnapshotEventV1 {
  @Matches(/^(courier|platform|subscriber)-[0-9a-f-]{36}$/, {
    message: 'clientId must be a registry client id such as courier-<uuid>',
  })
  clientId!: string;

  @IsIn(MACHINE_CLIENT_KINDS)
  kind!: MachineClientKind;

  @IsBoolean()
  active!: boolean;

  @IsOptional()
  @IsUUID()
  enterpriseId!: string | null;

  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9]{1,9}$/, { message: 'carrierCode must be an upper-case carrier code' })
  carrierCode!: string | null;

  @IsOptional()
  @Matches(/^[a-z][a-z0-9_-]{1,31}$/, { message: 'platformCode must be a lower-case code' })
  platformCode!: string | null;
}

export const ClientChanged = defineSnapshotEvent<ClientChangedV1>({
  type: 'cn.ecomlog.registry.client-changed.v1',
  topic: TOPICS.registryClients,
  payload: ClientChangedV1,
  collection: 'clients',
  id: (client) => client.clientId,
  summary: 'A machine client was registered, disabled or enabled again.',
  example: {
    clientId: 'courier-0b7e5a52-3f43-4d56-9b58-2f1f0b8d7c11',
    kind: 'courier',
    active: false,
    enterpriseId: '5d0c6f5e-8d1b-4f1e-9a53-0c2f8e7d9b10',
    carrierCode: 'ZTO',
    platformCode: null,
    version: 2,
    changedAt: '2024-08-01T09:30:00+08:00',
  },
});
