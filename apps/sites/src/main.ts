import 'reflect-metadata';
import { runService } from '@ecomlog/platform';
import { AppModule } from './app.module';

runService(AppModule, {
  title: 'Sites service',
  description:
    'The three-tier service network and logistics facilities, with dated status history.',
});
