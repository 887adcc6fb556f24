import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DivisionReadModelConsumer } from './division-read-model.consumer';
import { KnownDivision } from './known-division.entity';
import { KnownDivisionsController } from './known-divisions.controller';

@Module({
  imports: [TypeOrmModule.forFeature([KnownDivision])],
  controllers: [KnownDivisionsController],
  providers: [DivisionReadModelConsumer],
})
export class KnownDivisionsModule {}
