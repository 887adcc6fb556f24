import { Client } from 'pg';
import type { DatabaseSettings } from './data-source';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Creates a database when it is missing (used by tests and the local stack, never in a request). */
export async function ensureDatabaseExists(
  settings: Omit<DatabaseSettings, 'poolSize'>,
): Promise<void> {
  if (!IDENTIFIER.test(settings.database)) {
    throw new Error(
      `Refusing to create database "${settings.database}": not a plain lower-case identifier`,
    );
  }
  const client = new Client({ ...connection(settings), database: 'postgres' });
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      settings.database,
    ]);
    if (existing.rowCount === 0) {
      await client.query(`CREATE DATABASE "${settings.database}"`);
    }
  } catch (error) {
    // Two processes racing to create the same database: the loser sees a duplicate.
    if (!(error instanceof Error && /already exists/.test(error.message))) throw error;
  } finally {
    await client.end();
  }
}

export async function dropDatabaseIfExists(
  settings: Omit<DatabaseSettings, 'poolSize'>,
): Promise<void> {
  if (!IDENTIFIER.test(settings.database)) {
    throw new Error(
      `Refusing to drop database "${settings.database}": not a plain lower-case identifier`,
    );
  }
  const client = new Client({ ...connection(settings), database: 'postgres' });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${settings.database}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

function connection(settings: Omit<DatabaseSettings, 'poolSize'>) {
  return {
    host: settings.host,
    port: settings.port,
    user: settings.user,
    password: settings.password,
  };
}
