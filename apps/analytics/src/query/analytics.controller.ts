import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Public, type Principal } from '@ecomlog/auth';
import { INDICATORS, type IndicatorInfo } from '../indicators/indicator-catalogue';
import { AnalyticsQueryDto } from './analytics-query.dto';
import { AnalyticsQueryService, type AnalyticsAnswer } from './analytics-query.service';
import { ConsumerLag, type LagReport } from './consumer-lag';

@ApiTags('analytics')
@ApiBearerAuth()
@Controller('v1')
export class AnalyticsController {
  constructor(
    private readonly query: AnalyticsQueryService,
    private readonly lag: ConsumerLag,
  ) {}

  @Get('indicators')
  @ApiOperation({ summary: 'The indicator catalogue (SPEC 4.6): id, names, unit, definition' })
  indicators(): { items: Omit<IndicatorInfo, 'sources'>[] } {
    return { items: INDICATORS.map(({ sources: _sources, ...info }) => info) };
  }

  @Get('analytics')
  @ApiOperation({
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
  @Public()
  @Get('analytics/lag')
  @ApiOperation({
    summary:
      'How far each analytics consumer is behind the end of its topics (0 everywhere = indicators are current)',
  })
  consumerLag(): Promise<LagReport> {
    return this.lag.report();
  }
}
