import { Module } from '@nestjs/common';
import { OrderIntakeService } from './order-intake.service';
import { OrdersController } from './orders.controller';

/** Platform order intake (POST /v1/orders), the order view and the waybill links. */
@Module({
  controllers: [OrdersController],
  providers: [OrderIntakeService],
})
export class OrdersModule {}
