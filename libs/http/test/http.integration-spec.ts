import { Body, Controller, Get, Module, Post, Query } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested, ArrayMaxSize } from 'class-validator';
import { Redis } from 'ioredis';
import { Client, Pool } from 'pg';
import request from 'supertest';
import { createLogger } from '@ecomlog/observability';
import { freePort, stack, uniqueSuffix } from '@ecomlog/testing';
import {
  IdempotencyInterceptor,
  MediaTypeGuard,
  PageQuery,
  ProblemDetailsFilter,
  correlationMiddleware,
  createValidationPipe,
  decodeCursor,
  jsonBody,
  toPage,
} from '../src';

class Item {
  @IsString()
  sku!: string;

  @IsInt()
  @Min(0)
  amountFen!: number;
}

class CreateOrder {
  @IsString()
  orderNo!: string;

  @ValidateNested({ each: true })
  @ArrayMaxSize(3)
  @Type(() => Item)
  items!: Item[];
}

let executions = 0;

@Controller('v1/orders')
class OrdersController {
  @Post()
  async create(@Body() body: CreateOrder): Promise<{ orderNo: string; execution: number }> {
    executions += 1;
    await new Promise((resolve) => setTimeout(resolve, body.orderNo === 'slow' ? 300 : 0));
    return { orderNo: body.orderNo, execution: executions };
  }

  @Get()
  list(@Query() page: PageQuery): unknown {
    const after = page.cursor ? decodeCursor<{ n: number }>(page.cursor, ['n']).n : 0;
    const rows = Array.from({ length: 5 }, (_, i) => ({ n: i + 1 })).filter((r) => r.n > after);
    return toPage(rows.slice(0, (page.limit ?? 2) + 1), page.limit ?? 2, (r) => ({ n: r.n }));
  }
}

/**
 * Database paths that fail for real: a pool aimed at a port nothing listens on, and a connection
 * whose server process is terminated (as a PostgreSQL restart does) before the write runs.
 */
class Ledger {
  closedPort = 0;
  doomed?: Client;
}
const ledger = new Ledger();

@Controller('v1/ledger')
class LedgerController {
  @Get()
  async read(): Promise<unknown> {
    const pool = new Pool({ ...stack.postgres, database: 'postgres', port: ledger.closedPort });
    try {
      return (await pool.query('SELECT 1 AS one')).rows;
    } finally {
      await pool.end();
    }
  }

  @Post()
  async write(): Promise<unknown> {
    const client = ledger.doomed;
    if (!client) throw new Error('no connection prepared');
    return (await client.query('SELECT 1 AS one')).rows;
  }
}

describe('HTTP conventions on a real Nest application and Redis', () => {
  let app: NestExpressApplication;
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(stack.redisUrl);
    const logger = createLogger('http-it', 'fatal');
    @Module({
      controllers: [OrdersController, LedgerController],
      providers: [
        { provide: APP_FILTER, useValue: new ProblemDetailsFilter(logger) },
        { provide: APP_GUARD, useClass: MediaTypeGuard },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        {
          provide: APP_INTERCEPTOR,
          useValue: new IdempotencyInterceptor(redis, `http-it-${uniqueSuffix()}`),
        },
      ],
    })
    class TestModule {}
    const moduleRef = await Test.createTestingModule({ imports: [TestModule] }).compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false });
    app.use(correlationMiddleware);
    app.use(...jsonBody('2kb'));
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    await redis.quit();
  });

  const server = () => app.getHttpServer() as Parameters<typeof request>[0];

  it('answers validation failures with problem+json naming each field path', async () => {
    const response = await request(server())
      .post('/v1/orders')
      .send({
        orderNo: 7,
        items: [
          { sku: 'a', amountFen: 1 },
          { sku: 'b', amountFen: -5 },
        ],
        extra: true,
      })
      .expect(400)
      .expect('content-type', /application\/problem\+json/);
    expect(response.body).toMatchObject({
      status: 400,
      title: 'Request validation failed',
      instance: '/v1/orders',
    });
    const paths = (response.body as { errors: { path: string }[] }).errors
      .map((e) => e.path)
      .sort();
    expect(paths).toEqual(['extra', 'items[1].amountFen', 'orderNo']);
  });

  it('answers malformed JSON, oversized bodies and unknown routes with problem+json', async () => {
    const malformed = await request(server())
      .post('/v1/orders')
      .set('content-type', 'application/json')
      .send('{"orderNo": ')
      .expect(400);
    expect(malformed.body).toMatchObject({
      status: 400,
      detail: expect.stringMatching(/^The request body is not valid JSON/),
    });
    const big = await request(server())
      .post('/v1/orders')
      .send({ orderNo: 'x'.repeat(5000), items: [] })
      .expect(413);
    expect(big.body).toMatchObject({
      status: 413,
      detail: 'The request body is larger than the 2kb this endpoint accepts',
    });
    const missing = await request(server())
      .get('/v1/nothing-here')
      .expect(404)
      .expect('content-type', /problem\+json/);
    expect(missing.body).toMatchObject({ status: 404, type: 'about:blank' });
  });

  it('answers a body of another media type with 415 problem+json', async () => {
    for (const [type, body] of [
      ['text/plain', '{"orderNo":"A-1","items":[]}'],
      ['application/x-www-form-urlencoded', 'orderNo=A-1'],
      ['application/xml', '<order/>'],
    ]) {
      const response = await request(server())
        .post('/v1/orders')
        .set('content-type', type)
        .send(body)
        .expect(415)
        .expect('content-type', /application\/problem\+json/);
      expect(response.body).toMatchObject({
        status: 415,
        type: 'https://ecomlog.cn/problems/unsupported-media-type',
        detail: expect.stringContaining(type) as unknown,
      });
    }
    // The same body as JSON passes, and a GET without a body is not concerned.
    await request(server()).post('/v1/orders').send({ orderNo: 'A-1', items: [] }).expect(201);
    await request(server()).get('/v1/orders').expect(200);
  });

  it('answers a method a path does not take with 405 and Allow, an unknown path with 404', async () => {
    const response = await request(server())
      .delete('/v1/orders')
      .expect(405)
      .expect('content-type', /application\/problem\+json/);
    expect(response.headers.allow).toBe('GET, HEAD, POST');
    expect(response.body).toMatchObject({ status: 405, title: 'Method not allowed' });
    const put = await request(server()).put('/v1/ledger').send({}).expect(405);
    expect(put.headers.allow).toBe('GET, HEAD, POST');
    await request(server()).delete('/v1/nothing-here').expect(404);
  });

  it('answers 503 problem+json with Retry-After when the database is unreachable, not 500', async () => {
    ledger.closedPort = await freePort();
    const read = await request(server())
      .get('/v1/ledger')
      .expect(503)
      .expect('content-type', /application\/problem\+json/);
    expect(Number(read.headers['retry-after'])).toBeGreaterThan(0);
    expect(read.body).toMatchObject({
      status: 503,
      type: 'https://ecomlog.cn/problems/dependency-unavailable',
      dependency: 'database',
      detail: expect.stringContaining('ECONNREFUSED') as unknown,
    });

    // A live connection whose server process is terminated, as during a PostgreSQL restart.
    const doomed = new Client({ ...stack.postgres, database: 'postgres' });
    doomed.on('error', () => undefined);
    await doomed.connect();
    const admin = new Client({ ...stack.postgres, database: 'postgres' });
    await admin.connect();
    try {
      const [{ pid }] = (await doomed.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))
        .rows;
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      ledger.doomed = doomed;
      const write = await request(server()).post('/v1/ledger').send({}).expect(503);
      expect(Number(write.headers['retry-after'])).toBeGreaterThan(0);
      expect(write.body).toMatchObject({ status: 503, dependency: 'database' });
    } finally {
      await admin.end();
      await doomed.end().catch(() => undefined);
    }
  });

  it('carries the caller correlation id into the response and the problem document', async () => {
    const response = await request(server())
      .post('/v1/orders')
      .set('x-correlation-id', 'trace-123')
      .send({})
      .expect(400);
    expect(response.headers['x-correlation-id']).toBe('trace-123');
    expect(response.body).toMatchObject({ correlationId: 'trace-123' });
  });

  it('replays a retried write with the same Idempotency-Key instead of running it again', async () => {
    const key = `order-${uniqueSuffix()}`;
    const body = { orderNo: 'A-1', items: [{ sku: 'tea', amountFen: 1999 }] };
    const first = await request(server())
      .post('/v1/orders')
      .set('Idempotency-Key', key)
      .send(body)
      .expect(201);
    const again = await request(server())
      .post('/v1/orders')
      .set('Idempotency-Key', key)
      .send(body)
      .expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const reused = await request(server())
      .post('/v1/orders')
      .set('Idempotency-Key', key)
      .send({ ...body, orderNo: 'A-2' })
      .expect(422);
    expect(reused.body).toMatchObject({
      type: 'https://ecomlog.cn/problems/idempotency-key-reused',
    });
    const fresh = await request(server())
      .post('/v1/orders')
      .set('Idempotency-Key', `${key}-2`)
      .send(body)
      .expect(201);
    expect((fresh.body as { execution: number }).execution).toBe(
      (first.body as { execution: number }).execution + 1,
    );
  });

  it('refuses a concurrent duplicate while the first is still running, and releases the key of a failed request', async () => {
    const key = `slow-${uniqueSuffix()}`;
    const body = { orderNo: 'slow', items: [] };
    const [a, b] = await Promise.all([
      request(server()).post('/v1/orders').set('Idempotency-Key', key).send(body),
      new Promise((resolve) => setTimeout(resolve, 100)).then(() =>
        request(server()).post('/v1/orders').set('Idempotency-Key', key).send(body),
      ),
    ]);
    expect(a.status).toBe(201);
    expect(b.status).toBe(409);

    const failedKey = `bad-${uniqueSuffix()}`;
    await request(server())
      .post('/v1/orders')
      .set('Idempotency-Key', failedKey)
      .send({ orderNo: 1 })
      .expect(400);
    await request(server())
      .post('/v1/orders')
      .set('Idempotency-Key', failedKey)
      .send({ orderNo: 'ok', items: [] })
      .expect(201);
  });

  it('paginates with opaque cursors and rejects a forged one', async () => {
    const first = await request(server()).get('/v1/orders?limit=2').expect(200);
    expect(first.body).toMatchObject({
      items: [{ n: 1 }, { n: 2 }],
      nextCursor: expect.any(String),
    });
    const second = await request(server())
      .get(`/v1/orders?limit=2&cursor=${(first.body as { nextCursor: string }).nextCursor}`)
      .expect(200);
    expect((second.body as { items: unknown[] }).items).toEqual([{ n: 3 }, { n: 4 }]);
    // Well formed but not issued here: 422; not even the shape of a cursor: 400.
    const forged = await request(server()).get('/v1/orders?cursor=not-a-cursor').expect(422);
    expect(forged.body).toMatchObject({ type: 'https://ecomlog.cn/problems/invalid-cursor' });
    await request(server()).get('/v1/orders?cursor=not%20a%20cursor').expect(400);
    await request(server()).get('/v1/orders?limit=0').expect(400);
  });
});
