import { Body, Controller, Get, HttpStatus, Param, Put, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { PageQuery, ProblemException, type Page } from '@ecomlog/http';
import { DivisionsService, type DivisionView } from './divisions.service';
import { PutDivisionDto } from './dto/put-division.dto';

function divisionCode(code: string): string {
  if (!/^\d{12}$/.test(code)) {
    throw new ProblemException(
      400,
      'invalid-division-code',
      'Invalid division code',
      `"${code}" is not a 12-digit division code (统计用区划代码).`,
    );
  }
  return code;
}

@ApiTags('divisions')
@Controller('v1/divisions')
export class DivisionsController {
  constructor(private readonly divisions: DivisionsService) {}

  @Put(':code')
  @ApiOperation({ summary: 'Create or amend a division (rename, retire, merge via replacedBy)' })
  async put(
    @Param('code') code: string,
    @Body() body: PutDivisionDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DivisionView> {
    const { division, created } = await this.divisions.put(divisionCode(code), body);
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return division;
  }

  @Get(':code')
  @ApiOperation({ summary: 'One division' })
  get(@Param('code') code: string): Promise<DivisionView> {
    return this.divisions.get(divisionCode(code));
  }

  @Get(':code/children')
  @ApiOperation({ summary: 'Direct children of a division, cursor-paginated by code' })
  children(@Param('code') code: string, @Query() page: PageQuery): Promise<Page<DivisionView>> {
    return this.divisions.children(divisionCode(code), page.limit ?? 50, page.cursor);
  }
}
