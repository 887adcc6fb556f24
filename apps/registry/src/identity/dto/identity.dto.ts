import { CLIENT_KINDS, type ClientKind } from '../identity.entities';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMinSize,
  ArrayUnique,
  IsIn,
  IsString,
  IsUUID,
  Matches,
  ValidateIf,
} from 'class-validator';
import { OptionalText, Text } from '@ecomlog/contracts';
import { OFFICIAL_ROLES, type OfficialRole } from '@ecomlog/auth';

/** RFC 6749 §4.4: client credentials; the client may authenticate with HTTP Basic instead. */
export class TokenRequestDto {
  // Any other grant is the OAuth error unsupported_grant_type (RFC 6749 §5.2), not a field error.
  @ApiProperty({ example: 'client_credentials', enum: ['client_credentials'] })
  @IsString()
  grant_type!: string;

  @ApiPropertyOptional()
  @OptionalText(128)
  client_id?: string;

  @ApiPropertyOptional()
  @OptionalText(256)
  client_secret?: string;

  @ApiPropertyOptional({
    description: 'Ignored: a client always gets the scope it is registered for',
  })
  @OptionalText(256)
  scope?: string;
}

export class LoginDto {
  @ApiProperty({ example: 'admin' })
  @Text(64)
  username!: string;

  @ApiProperty()
  @Text(256)
  password!: string;
}

export class CreateClientDto {
  @ApiProperty({ example: '中通快递中宁分拨系统' })
  @Text(100)
  name!: string;

  @ApiProperty({
    enum: CLIENT_KINDS,
    description:
      "courier: posts scans (HTTP) and writes its carrier's Kafka scan door; platform: posts orders; subscriber: reads analytics.indicators.v1 on Kafka",
  })
  @IsIn(CLIENT_KINDS)
  kind!: ClientKind;

  @ApiPropertyOptional({
    description:
      'The registered enterprise this client acts for (required for couriers and platforms)',
  })
  @ValidateIf((dto: CreateClientDto) => dto.kind !== 'subscriber' || dto.enterpriseId !== undefined)
  @IsUUID()
  enterpriseId?: string;

  @ApiPropertyOptional({ example: 'ZTO', description: 'Required for couriers' })
  @ValidateIf((dto: CreateClientDto) => dto.kind === 'courier' || dto.carrierCode !== undefined)
  @Matches(/^[A-Z][A-Z0-9]{1,9}$/, {
    message: 'carrierCode must be an upper-case carrier code such as ZTO',
  })
  carrierCode?: string;

  @ApiPropertyOptional({ example: 'taobao', description: 'Required for platforms' })
  @ValidateIf((dto: CreateClientDto) => dto.kind === 'platform' || dto.platformCode !== undefined)
  @Matches(/^[a-z][a-z0-9_-]{1,31}$/, {
    message: 'platformCode must be a lower-case platform code such as taobao',
  })
  platformCode?: string;
}

export class CreateOfficialDto {
  @ApiProperty({ example: 'zhang.wei' })
  @Matches(/^[a-z][a-z0-9._-]{2,63}$/, {
    message: 'username must be 3–64 lower-case letters, digits, . _ -',
  })
  username!: string;

  @ApiProperty({ example: '张伟' })
  @Text(100)
  displayName!: string;

  @ApiProperty({ enum: OFFICIAL_ROLES, isArray: true })
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(OFFICIAL_ROLES, { each: true })
  roles!: OfficialRole[];

  @ApiProperty({ example: '640521', description: 'Division-code prefix the official may act in' })
  @Matches(/^\d{0,12}$/, { message: 'regionPrefix must be a division-code prefix (digits only)' })
  regionPrefix!: string;
}
