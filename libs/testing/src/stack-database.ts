import { DataSource } from 'typeorm';
import {
  dropDatabaseIfExists,
  ensureDatabaseExists,
  serviceDataSourceOptions,
  type ServiceDataSourceOptions,
} from '@ecomlog/persistence';
import { stack } from './stack-settings';

/** A database of a test's own on the stack's PostgreSQL, connected; `drop()` disconnects and drops it. */
export interface TestDatabase {
  dataSource: DataSource;
  drop(): Promise<void>;
}

/**
 * Creates `database` on the stack's PostgreSQL (when missing) and connects to it with a pool of
 * `poolSize`, as a service would (`options`: its application name, entities and migrations, not
 * run here).
 */
export async function openTestDatabase(
  database: string,
  poolSize: number,
  options: ServiceDataSourceOptions,
): Promise<TestDatabase> {
  await ensureDatabaseExists({ ...stack.postgres, database });
  const dataSource = new DataSource(
    serviceDataSourceOptions({ ...stack.postgres, database, poolSize }, options),
  );
  await dataSource.initialize();
  return {
    dataSource,
    async drop() {
      await dataSource.destroy();
      await dropDatabaseIfExists({ ...stack.postgres, database });
    },
  };
}
