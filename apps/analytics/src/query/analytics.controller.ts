import { Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { BearerController, CurrentPrincipal, Read, type Principal } from '@ecomlog/auth';
import { INDICATORS, type IndicatorInfo } from '../indicators/indicator-catalogue';
import { AnalyticsQueryDto } from './analytics-query.dto';
import { AnalyticsQueryService, type AnalyticsAnswer } from './analytics-query.service';
import { ConsumerLag, type LagReport } from './consumer-lag';

@BearerController('v1', { tag: 'analytics' })
export class AnalyticsController {
  constructor(
    private readonly query: AnalyticsQueryService,
    private readonly lag: ConsumerLag,
  ) {}

  @Read('indicators', {
    summary: 'The indicator catalogue (SPEC 4.6): id, names, unit, definition',
  })
  indicators(): { items: Omit<IndicatorInfo, 'sources'>[] } {
    return { items: INDICATORS.map(({ sources: _sources, ...info }) => info) };
  }

  @Read('analytics', {
    summary:
      'Indicators × periods × divisions (dx/pe/ou), with 同比, numerator/denominator, rank among siblings and target attainment',
  })
  async analytics(
    @Query() query: AnalyticsQueryDto,
    @CurrentPrincipal() actor: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AnalyticsAnswer> {
    const answer = await this.query.answer(actor, query);
    // RFC 9211: tells callers (and tests) whether Redis answered.
    response.setHeader(
      'Cache-Status',
      `analytics; ${answer.meta.cache === 'hit' ? 'hit' : 'fwd=miss'}`,
    );
    return answer;
  }

  // Like /ready: operational, no data; the benchmark and operators poll it without a token.
  @Read('analytics/lag', {
    public: true,
    summary:
      'How far each analytics consumer is behind the end of its topics (0 everywhere = indicators are current)',
  })
  consumerLag(): Promise<LagReport> {
    return this.lag.report();
  }
}
