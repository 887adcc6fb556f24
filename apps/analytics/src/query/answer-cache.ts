import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { prefixAtLevel } from '@ecomlog/kernel';
import { REDIS } from '@ecomlog/platform';

const GENERATION = 'analytics:generation:';
const ANSWER = 'analytics:answer:v1:';
const TTL_SECONDS = 3600;

/**
 * Computed answers in Redis, keyed by the data generation of the region they cover. The
 * publisher bumps the generation of a province and of a city whenever cells under them change
 * (after its transaction commits), so a cached answer is never older than the published cells.
 */
@Injectable()
export class AnswerCache {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** The generation scope of a division prefix: its city (4 digits), or its province. */
  private scopeOf(prefix: string): string {
    return prefix.slice(0, Math.min(prefix.length, 4));
  }

  async generations(prefixes: string[]): Promise<Map<string, string>> {
    const scopes = [...new Set(prefixes.map((p) => this.scopeOf(p)))];
    if (scopes.length === 0) return new Map();
    const values = await this.redis.mget(
      ...scopes.map((s) => GENERATION + s),
      GENERATION + 'targets',
    );
    const targets = values[values.length - 1] ?? '0';
    return new Map(scopes.map((scope, i) => [scope, `${values[i] ?? '0'}.${targets}`]));
  }

  keyOf(generations: Map<string, string>, prefix: string, parts: string[]): string {
    return `${ANSWER}${generations.get(this.scopeOf(prefix))}:${parts.join('|')}`;
  }

  async getMany<T>(keys: string[]): Promise<(T | null)[]> {
    if (keys.length === 0) return [];
    const values = await this.redis.mget(...keys);
    return values.map((v) => (v === null ? null : (JSON.parse(v) as T)));
  }

  async setMany(entries: [string, unknown][]): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const [key, value] of entries) pipeline.set(key, JSON.stringify(value), 'EX', TTL_SECONDS);
    await pipeline.exec();
  }

  /** Called after cells under these division codes changed (and were committed). */
  async invalidate(codes: string[], targetsChanged = false): Promise<void> {
    const scopes = new Set<string>();
    for (const code of codes) {
      scopes.add(prefixAtLevel(code, 'province'));
      scopes.add(prefixAtLevel(code, 'city'));
    }
    if (scopes.size === 0 && !targetsChanged) return;
    const pipeline = this.redis.pipeline();
    for (const scope of scopes) pipeline.incr(GENERATION + scope);
    if (targetsChanged) pipeline.incr(GENERATION + 'targets');
    await pipeline.exec();
  }
}
