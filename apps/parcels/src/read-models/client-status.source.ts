import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ClientStatusSource } from '@ecomlog/auth';

/** How long an answer is reused: a disabled client is refused within this of the read model. */
const CACHE_MS = 5000;

/**
 * Answers the AuthGuard whether a machine client is still active, from the known_client read
 * model: the registry issues tokens only to active clients, but a token outlives a disabling by
 * up to its lifetime. A client the read model does not know yet (registered moments ago) counts
 * as active, as its token says.
 */
@Injectable()
export class KnownClientStatus implements ClientStatusSource {
  private readonly cache = new Map<string, { active: boolean; at: number }>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async isDisabled(clientId: string): Promise<boolean> {
    const now = Date.now();
    const cached = this.cache.get(clientId);
    if (cached && now - cached.at < CACHE_MS) return !cached.active;
    const [row] = await this.dataSource.query<{ active: boolean }[]>(
      'SELECT active FROM known_client WHERE client_id = $1',
      [clientId],
    );
    const active = row?.active ?? true;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(clientId, { active, at: now });
    return !active;
  }
}
