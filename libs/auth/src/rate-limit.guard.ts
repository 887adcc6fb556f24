import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { ProblemException } from '@ecomlog/http';
import type { AuthenticatedRequest } from './decorators';

export interface RateLimitSettings {
  /** Requests one caller may make per minute to this service. */
  perMinute: number;
  /** Key namespace, e.g. the service name. */
  namespace: string;
}

/**
 * Per-caller request budget in Redis (fixed one-minute windows), so a misbehaving client is slowed
 * down the same way on every replica. Runs after authentication; public routes (health, tokens)
 * have limits of their own or none.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly redis: Redis,
    private readonly settings: RateLimitSettings,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const subject = request.principal?.subject;
    if (!subject || this.settings.perMinute <= 0) return true;
    const window = Math.floor(Date.now() / 60000);
    const key = `ratelimit:${this.settings.namespace}:${subject}:${window}`;
    const [[, count]] = (await this.redis.multi().incr(key).expire(key, 120).exec()) as [
      [Error | null, number],
    ];
    if (count <= this.settings.perMinute) return true;
    const retryAfter = 60 - Math.floor((Date.now() / 1000) % 60);
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfter));
    throw new ProblemException(
      429,
      'rate-limited',
      'Too many requests',
      `This client made more than ${this.settings.perMinute} requests this minute; retry in ${retryAfter} s or send larger batches.`,
    );
  }
}
