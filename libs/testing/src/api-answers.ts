import type request from 'supertest';
import type { DataSource } from 'typeorm';

/** An RFC 9457 problem+json body as the services answer it. */
export interface ProblemBody {
  type: string;
  status: number;
  title: string;
  detail: string;
  errors?: { path: string; message: string }[];
  [extension: string]: unknown;
}

/** Awaits the request and expects a problem+json answer with this status. */
export async function expectProblem<P extends object = ProblemBody>(
  test: request.Test,
  status: number,
): Promise<P> {
  const response = await test;
  expect({ status: response.status, body: response.body as unknown }).toMatchObject({ status });
  expect(response.get('content-type')).toMatch(/application\/problem\+json/);
  return response.body as P;
}

/** A row of a service's transactional outbox, its payload the event's. */
export interface OutboxRowOf<P> {
  topic: string;
  message_key: string;
  event_type: string;
  payload: P;
  headers: Record<string, string>;
}

/** The outbox rows written under a message key, oldest first. */
export async function outboxRowsOf<P>(
  dataSource: DataSource,
  key: string,
): Promise<OutboxRowOf<P>[]> {
  return dataSource.query<OutboxRowOf<P>[]>(
    `SELECT topic, message_key, event_type, payload, headers FROM outbox_event
     WHERE message_key = $1 ORDER BY sequence`,
    [key],
  );
}
