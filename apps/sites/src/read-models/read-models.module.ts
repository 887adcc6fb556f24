import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EnterpriseReadModelConsumer } from './enterprise-read-model.consumer';
import { KnownEnterprise } from './known-enterprise.entity';

@Module({
  imports: [TypeOrmModule.forFeature([KnownEnterprise])],
  providers: [EnterpriseReadModelConsumer],
})
export class KnownEnterprisesModule {}
