import { Client } from 'pg';
import { dropDatabaseIfExists, ensureDatabaseExists } from '@ecomlog/persistence';
import { stack } from '@ecomlog/testing';

/** The throwaway databases of one e2e run, e2e_<service>_<suffix>, and a client on each. */
export class RunDatabases<S extends string> {
  /** The database name of each service. */
  readonly names: Record<S, string>;
  private readonly clients: Partial<Record<S, Client>> = {};

  constructor(services: readonly S[], suffix: string) {
    this.names = Object.fromEntries(
      services.map((service) => [service, `e2e_${service}_${suffix}`]),
    ) as Record<S, string>;
  }

  /** Creates the databases that do not exist yet. */
  async create(): Promise<void> {
    for (const database of Object.values<string>(this.names))
      await ensureDatabaseExists({ ...stack.postgres, database });
  }

  /** Opens a client on every database. */
  async connect(): Promise<void> {
    for (const [service, database] of Object.entries(this.names) as [S, string][]) {
      const client = new Client({ ...stack.postgres, database });
      this.clients[service] = client;
      await client.connect();
    }
  }

  /** The client on a service's database. */
  client(service: S): Client {
    const client = this.clients[service];
    if (!client) throw new Error('database client not connected (beforeAll failed?)');
    return client;
  }

  /** The rows a query answers on a service's database. */
  async rows<T>(service: S, sql: string, parameters: unknown[] = []): Promise<T[]> {
    return (await this.client(service).query(sql, parameters)).rows as T[];
  }

  /** The `n` a `SELECT count(*)::int AS n …` answers on a service's database. */
  async count(service: S, sql: string, parameters: unknown[] = []): Promise<number> {
    const [row] = await this.rows<{ n: number }>(service, sql, parameters);
    return row.n;
  }

  /** Closes the clients and drops the databases. */
  async drop(): Promise<void> {
    const clients = Object.values<Client | undefined>(this.clients).filter(
      (client): client is Client => client !== undefined,
    );
    await Promise.all(clients.map((client) => client.end()));
    for (const database of Object.values<string>(this.names))
      await dropDatabaseIfExists({ ...stack.postgres, database });
  }
}
