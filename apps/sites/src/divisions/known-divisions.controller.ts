import { Controller, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Read } from '@ecomlog/auth';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ProblemException } from '@ecomlog/http';
import { isDivisionCode } from '@ecomlog/kernel';
import { KnownDivision } from '../read-models/known-division.entity';

@ApiTags('divisions')
@Controller('v1/known-divisions')
export class KnownDivisionsController {
  constructor(
    @InjectRepository(KnownDivision) private readonly divisions: Repository<KnownDivision>,
  ) {}

  @Read(':code', { summary: 'A division as this service knows it from registry.divisions.v1' })
  async get(@Param('code') code: string): Promise<KnownDivision> {
    const division = isDivisionCode(code) ? await this.divisions.findOneBy({ code }) : null;
    if (!division) {
      throw new ProblemException(
        404,
        'division-not-found',
        'Division not known',
        `Division ${code} has not reached this service's read model (yet).`,
      );
    }
    return division;
  }
}
