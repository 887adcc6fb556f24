import { Body, HttpStatus, Param, Query } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import {
  BearerController,
  CurrentPrincipal,
  Read,
  Remove,
  Replace,
  type Principal,
} from '@ecomlog/auth';
import { itemsOf } from '@ecomlog/http';
import { SetTargetDto } from './dto/set-target.dto';
import { TargetsService, type TargetView } from './targets.service';

@BearerController('v1/targets', { tag: 'targets' })
export class TargetsController {
  constructor(private readonly targets: TargetsService) {}

  @Replace({
    roles: ['commerce', 'postal'],
    summary:
      'Set the target of an indicator for a division and period: a value, or a growth path base × (1 + g)^years',
  })
  set(@Body() body: SetTargetDto, @CurrentPrincipal() actor: Principal): Promise<TargetView> {
    return this.targets.set(actor, body);
  }

  @Read({ summary: 'Targets inside your region' })
  @ApiQuery({ name: 'divisionCode', required: false })
  @ApiQuery({ name: 'indicator', required: false })
  list(
    @CurrentPrincipal() actor: Principal,
    @Query('divisionCode') divisionCode?: string,
    @Query('indicator') indicator?: string,
  ): Promise<{ items: TargetView[] }> {
    return itemsOf(this.targets.list(actor, { divisionCode, indicator }));
  }

  @Remove(':indicator/:divisionCode/:period', {
    roles: ['commerce', 'postal'],
    status: HttpStatus.NO_CONTENT,
    summary: 'Remove a target',
  })
  remove(
    @Param('indicator') indicator: string,
    @Param('divisionCode') divisionCode: string,
    @Param('period') period: string,
    @CurrentPrincipal() actor: Principal,
  ): Promise<void> {
    return this.targets.remove(actor, indicator, divisionCode, period);
  }
}
