import { createPrivateKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, MoreThan } from 'typeorm';
import { publicJwk, type PublicJwk } from '@ecomlog/auth';
import { SigningKey } from './identity.entities';

/** How long a retired key stays in the JWKS: longer than any token it signed can live. */
const RETIRED_KEY_VISIBLE_MS = 24 * 60 * 60 * 1000;

@Injectable()
export class SigningKeysService {
  private active?: { kid: string; key: KeyObject };

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The key new tokens are signed with; created on first use. */
  async current(): Promise<{ kid: string; key: KeyObject }> {
    if (this.active) return this.active;
    const repository = this.dataSource.getRepository(SigningKey);
    const existing = await repository.findOne({
      where: { retiredAt: IsNull() },
      order: { createdAt: 'DESC' },
    });
    const row = existing ?? (await this.create());
    this.active = { kid: row.kid, key: createPrivateKey(row.privateKeyPem) };
    return this.active;
  }

  /** Starts signing with a new key; the old one stays published until its tokens have expired. */
  async rotate(): Promise<string> {
    const fresh = await this.dataSource.transaction(async (tx) => {
      await tx.update(SigningKey, { retiredAt: IsNull() }, { retiredAt: new Date() });
      return this.create(tx.getRepository(SigningKey));
    });
    this.active = { kid: fresh.kid, key: createPrivateKey(fresh.privateKeyPem) };
    return fresh.kid;
  }

  async jwks(): Promise<{ keys: PublicJwk[] }> {
    await this.current();
    const rows = await this.dataSource.getRepository(SigningKey).find({
      where: [
        { retiredAt: IsNull() },
        { retiredAt: MoreThan(new Date(Date.now() - RETIRED_KEY_VISIBLE_MS)) },
      ],
      order: { createdAt: 'DESC' },
    });
    return { keys: rows.map((row) => row.publicJwk as unknown as PublicJwk) };
  }

  private async create(
    repository = this.dataSource.getRepository(SigningKey),
  ): Promise<SigningKey> {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const kid = randomUUID();
    return repository.save({
      kid,
      privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      publicJwk: { ...publicJwk(publicKey, kid) },
      retiredAt: null,
    });
  }
}
