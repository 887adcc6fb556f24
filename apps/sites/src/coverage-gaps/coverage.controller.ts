import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@ecomlog/auth';
import { CoverageGaps, CoverageGapsQuery } from './coverage.dto';
import { CoverageService } from './coverage.service';

@ApiTags('coverage')
@ApiBearerAuth()
@Controller('v1/coverage')
export class CoverageController {
  constructor(private readonly coverage: CoverageService) {}

  @Get('gaps')
  @ApiOperation({
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
