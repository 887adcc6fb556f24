import { dependencyOutageOf } from './dependency-outage';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('dependency outages', () => {
  it.each([
    [
      'a refused connection',
      withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
      'ECONNREFUSED',
    ],
    [
      'a terminated connection',
      new Error('Connection terminated unexpectedly'),
      'Connection terminated unexpectedly',
    ],
    [
      'an administrator shutdown (57P01)',
      withCode('terminating connection due to administrator command', '57P01'),
      '57P01',
    ],
    [
      'a server starting up (57P03)',
      withCode('the database system is starting up', '57P03'),
      '57P03',
    ],
    ['a connection failure (08006)', withCode('connection failure', '08006'), '08006'],
    ['a refused client connection (08001)', withCode('could not connect', '08001'), '08001'],
    [
      'a pool timeout',
      new Error('timeout exceeded when trying to connect'),
      'timeout exceeded when trying to connect',
    ],
    [
      "TypeORM's QueryFailedError around a driver error",
      Object.assign(new Error('Query failed'), {
        name: 'QueryFailedError',
        driverError: withCode('terminating connection due to administrator command', '57P01'),
      }),
      '57P01',
    ],
    [
      'an AggregateError of both address families',
      Object.assign(
        new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')]),
        {
          code: 'ECONNREFUSED',
        },
      ),
      'ECONNREFUSED',
    ],
    [
      'an error whose cause is a terminated connection',
      new Error('outer', { cause: new Error('Connection terminated') }),
      'Connection terminated',
    ],
  ])('maps %s to the database', (_name, error, reason) => {
    expect(dependencyOutageOf(error)).toEqual({ dependency: 'database', reason });
  });

  it('maps ioredis giving up to the cache', () => {
    const error = Object.assign(
      new Error('Reached the max retries per request limit (which is 2).'),
      {
        name: 'MaxRetriesPerRequestError',
      },
    );
    expect(dependencyOutageOf(error)).toMatchObject({ dependency: 'cache' });
    expect(dependencyOutageOf(new Error('Connection is closed.'))).toMatchObject({
      dependency: 'cache',
    });
  });

  it.each([
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a constraint violation', withCode('duplicate key value violates unique constraint', '23505')],
    ['a syntax error', withCode('syntax error at or near "SELEC"', '42601')],
    ['not an error', 'boom'],
  ])('leaves %s alone (a 500 stays a 500)', (_name, error) => {
    expect(dependencyOutageOf(error)).toBeUndefined();
  });
});
