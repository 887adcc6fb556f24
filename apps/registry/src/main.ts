import 'reflect-metadata';
import { runService } from '@ecomlog/platform';
import { AppModule } from './app.module';

runService(AppModule, {
  title: 'Registry service',
  description: 'Administrative divisions, enterprises, shops and brands, clients and officials.',
});
