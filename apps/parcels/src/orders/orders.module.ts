import { Module } from '@nestjs/common';
import { OrderIntakeService } from './order-intake.service';
import { OrderRegistryChecks } from './order-registry-checks';
import { OrdersController } from './orders.controller';
import { ReadModelFreshness } from './read-model-freshness';

/** Platform order intake (POST /v1/orders), the order view and the waybill links. */
@Module({
  controllers: [OrdersController],
  providers: [OrderIntakeService, OrderRegistryChecks, ReadModelFreshness],
})
export class OrdersModule {}
