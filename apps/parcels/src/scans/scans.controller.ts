import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOperation,
  ApiProperty,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { ScanV1 } from '@ecomlog/contracts';
import { IsArray } from 'class-validator';
import { ClientKinds, CurrentPrincipal, type Principal } from '@ecomlog/auth';
import { ProblemException } from '@ecomlog/http';
import {
  MAX_SCANS_PER_REQUEST,
  ScanIntakeService,
  type ScanIntakeReport,
} from './scan-intake.service';

export class SubmitScansDto {
  @ApiProperty({
    description: `Up to ${MAX_SCANS_PER_REQUEST} scans (SPEC 4.4 shape, ScanV1); each is answered on its own: an item that is not a valid ScanV1 is answered \`rejected\` with its field problems, and never fails the batch.`,
    type: 'array',
    // The item schema clients should send; anything else is still taken, and rejected per item.
    items: { anyOf: [{ $ref: getSchemaPath(ScanV1) }, { type: 'object' }] },
  })
  @IsArray()
  scans!: unknown[];
}

@ApiTags('scans')
@ApiExtraModels(ScanV1)
@ApiBearerAuth()
@Controller('v1/scans')
export class ScansController {
  constructor(private readonly intake: ScanIntakeService) {}

  @Post()
  @HttpCode(200)
  @ClientKinds('courier')
  @ApiOperation({
    summary:
      'Courier scan intake: up to 1,000 scans, answered per item (accepted / duplicate / rejected with reason)',
  })
  submit(
    @Body() body: SubmitScansDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ScanIntakeReport> {
    if (body.scans.length === 0) {
      throw new ProblemException(422, 'no-scans', 'No scans', 'scans must hold at least one scan.');
    }
    if (body.scans.length > MAX_SCANS_PER_REQUEST) {
      throw new ProblemException(
        413,
        'too-many-scans',
        'Too many scans',
        `A request carries at most ${MAX_SCANS_PER_REQUEST} scans (this one has ${body.scans.length}); split it.`,
        { limit: MAX_SCANS_PER_REQUEST, received: body.scans.length },
      );
    }
    return this.intake.submit(body.scans, principal);
  }
}
