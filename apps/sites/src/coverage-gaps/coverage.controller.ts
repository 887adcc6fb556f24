import { Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { BearerController, CurrentPrincipal, Read, type Principal } from '@ecomlog/auth';
import { CoverageGaps, CoverageGapsQuery } from './coverage.dto';
import { CoverageService } from './coverage.service';

@BearerController('v1/coverage', { tag: 'coverage' })
export class CoverageController {
  constructor(private readonly coverage: CoverageService) {}

  @Read('gaps', {
    summary:
      '补白: towns without an operating town station, administrative villages without an operating village point, and without any express-capable site, as of a day',
  })
  @ApiOkResponse({ type: CoverageGaps })
  gaps(
    @Query() query: CoverageGapsQuery,
    @CurrentPrincipal() actor: Principal,
  ): Promise<CoverageGaps> {
    return this.coverage.gaps(actor, query.region, query.asOf);
  }
}
