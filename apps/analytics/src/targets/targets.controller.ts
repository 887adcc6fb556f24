import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ecomlog/auth';
import { SetTargetDto } from './dto/set-target.dto';
import { TargetsService, type TargetView } from './targets.service';

@ApiTags('targets')
@ApiBearerAuth()
@Controller('v1/targets')
export class TargetsController {
  constructor(private readonly targets: TargetsService) {}

  @Put()
  @Roles('commerce', 'postal')
  @ApiOperation({
    summary:
      'Set the target of an indicator for a division and period: a value, or a growth path base × (1 + g)^years',
  })
  set(@Body() body: SetTargetDto, @CurrentPrincipal() actor: Principal): Promise<TargetView> {
    return this.targets.set(actor, body);
  }

  @Get()
  @ApiOperation({ summary: 'Targets inside your region' })
  @ApiQuery({ name: 'divisionCode', required: false })
  @ApiQuery({ name: 'indicator', required: false })
  async list(
    @CurrentPrincipal() actor: Principal,
    @Query('divisionCode') divisionCode?: string,
    @Query('indicator') indicator?: string,
  ): Promise<{ items: TargetView[] }> {
    return { items: await this.targets.list(actor, { divisionCode, indicator }) };
  }

  @Delete(':indicator/:divisionCode/:period')
  @HttpCode(204)
  @Roles('commerce', 'postal')
  @ApiOperation({ summary: 'Remove a target' })
  remove(
    @Param('indicator') indicator: string,
    @Param('divisionCode') divisionCode: string,
    @Param('period') period: string,
    @CurrentPrincipal() actor: Principal,
  ): Promise<void> {
    return this.targets.remove(actor, indicator, divisionCode, period);
  }
}
