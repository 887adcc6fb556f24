import 'reflect-metadata';
import { runService } from '@ecomlog/platform';
import { AppModule } from './app.module';

runService(AppModule, {
  title: 'Analytics service',
  description:
    'The indicator catalogue: live aggregates, targets, the query API and the indicator topic.',
});
