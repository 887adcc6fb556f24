import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KnownDivision } from '../read-models/known-division.entity';
import { KnownDivisionsController } from './known-divisions.controller';

/** GET /v1/known-divisions/{code}: the division read model (kept in read-models/) as served. */
@Module({
  imports: [TypeOrmModule.forFeature([KnownDivision])],
  controllers: [KnownDivisionsController],
})
export class KnownDivisionsModule {}
