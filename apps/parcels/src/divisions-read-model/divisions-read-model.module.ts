import { Module } from '@nestjs/common';
import { ParcelsDivisionReadModelConsumer } from './division-read-model.consumer';

/** known_division, kept from registry.divisions.v1 (orders name seller and buyer divisions). */
@Module({ providers: [ParcelsDivisionReadModelConsumer] })
export class DivisionsReadModelModule {}
