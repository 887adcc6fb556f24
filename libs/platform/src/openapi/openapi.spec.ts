import 'reflect-metadata';
import { Type } from 'class-transformer';
import * as rule from 'class-validator';
import type { OpenAPIObject } from '@nestjs/swagger';
import { IsCalendarDay } from '@ecomlog/kernel';
import { declareProblemResponses } from './problem-responses';
import { closeRequestSchemas } from './request-schemas';
import { describeValidatedClasses, portablePattern } from './validation-schema';

/** @nestjs/swagger's key of a property's metadata (DECORATORS.API_MODEL_PROPERTIES). */
const SWAGGER_PROPERTY = 'swagger/apiModelProperties';

class ItemFixture {
  @rule.IsString()
  @rule.Matches(/^\d{12}$/)
  code!: string;
}

class BodyFixture {
  @rule.IsInt()
  @rule.Min(0)
  @rule.Max(1_000_000)
  amountFen!: number;

  @rule.IsOptional()
  @rule.IsIn(['a', 'b'])
  kind?: string;

  @rule.IsUUID()
  enterpriseId!: string;

  @IsCalendarDay()
  signedOn!: string;

  @rule.IsNumber({ maxDecimalPlaces: 2 })
  score!: number;

  @rule.IsOptional()
  @rule.IsString({ each: true })
  @rule.MaxLength(8, { each: true })
  tags?: string[];

  @rule.IsArray()
  @rule.ArrayMaxSize(3)
  @rule.ValidateNested({ each: true })
  @Type(() => ItemFixture)
  items!: ItemFixture[];
}

function property(target: object, name: string): Record<string, unknown> {
  return Reflect.getMetadata(SWAGGER_PROPERTY, target, name) as Record<string, unknown>;
}

describe('the OpenAPI document says what the validation says', () => {
  beforeAll(() => describeValidatedClasses());

  it('derives type, bounds, enum, format and requiredness from the class-validator rules', () => {
    const prototype = BodyFixture.prototype;
    expect(property(prototype, 'amountFen')).toMatchObject({
      type: 'integer',
      minimum: 0,
      maximum: 1_000_000,
      required: true,
    });
    // IsOptional lets null through, so the enum lists it.
    expect(property(prototype, 'kind')).toMatchObject({
      type: 'string',
      enum: ['a', 'b', null],
      required: false,
      nullable: true,
    });
    expect(property(prototype, 'enterpriseId')).toMatchObject({ type: 'string', format: 'uuid' });
    expect(property(prototype, 'signedOn')).toMatchObject({ type: 'string', format: 'date' });
    expect(property(prototype, 'score')).toMatchObject({ type: 'number', multipleOf: 0.01 });
    expect(property(prototype, 'tags')).toMatchObject({
      type: 'array',
      items: { type: 'string', maxLength: 8 },
    });
    expect(property(prototype, 'items')).toMatchObject({
      type: ItemFixture,
      isArray: true,
      maxItems: 3,
    });
    expect(property(ItemFixture.prototype, 'code')).toMatchObject({
      type: 'string',
      pattern: '^[0-9]{12}$',
    });
  });

  it('writes JavaScript patterns so that other regex engines read them the same way', () => {
    expect(portablePattern('^\\d{4}-[\\d.]+\\w$')).toBe('^[0-9]{4}-[0-9.]+[A-Za-z0-9_]$');
    expect(portablePattern('^a\\.b\\\\d$')).toBe('^a\\.b\\\\d$');
  });
});

describe('the OpenAPI document declares every problem and closes request bodies', () => {
  const document = (): OpenAPIObject =>
    ({
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: {
        '/v1/things/{id}': {
          get: {
            parameters: [{ in: 'path', name: 'id' }],
            security: [{ bearer: [] }],
            responses: { 200: {} },
          },
          post: {
            requestBody: {
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
            },
            security: [{ bearer: [] }],
            responses: { 201: {} },
          },
        },
        '/health': { get: { responses: { 200: {} } } },
        '/v1/login': {
          post: {
            'x-public': true,
            security: [{ bearer: [] }],
            requestBody: {},
            responses: { 401: { description: 'wrong' } },
          },
        },
      },
      components: {
        schemas: {
          Thing: { type: 'object', properties: { part: { $ref: '#/components/schemas/Part' } } },
          Part: { type: 'object', properties: {} },
          Answer: { type: 'object', properties: {} },
        },
      },
    }) as unknown as OpenAPIObject;

  it('declares the statuses each operation can answer, as problem+json', () => {
    const out = declareProblemResponses(document()) as unknown as {
      paths: Record<
        string,
        Record<
          string,
          {
            responses: Record<string, { content?: object }>;
            parameters?: { name: string }[];
            security?: unknown[];
          }
        >
      >;
    };
    const get = out.paths['/v1/things/{id}'].get;
    expect(Object.keys(get.responses).sort()).toEqual(
      ['200', '400', '401', '403', '404', '422', '429', '503'].sort(),
    );
    expect(get.responses['404'].content).toEqual({
      'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
    });
    const post = out.paths['/v1/things/{id}'].post;
    expect(Object.keys(post.responses)).toEqual(
      expect.arrayContaining(['409', '413', '415', '422']),
    );
    expect(post.parameters?.map((p) => p.name)).toContain('Idempotency-Key');
    expect(Object.keys(out.paths['/health'].get.responses).sort()).toEqual(['200', '429', '503']);
    // A public route needs no token; its own 401 gets the problem body too.
    const login = out.paths['/v1/login'].post;
    expect(login.security).toEqual([]);
    expect(login.responses['401'].content).toBeDefined();
  });

  it('closes the schemas a request body uses, nested ones included, and leaves answers open', () => {
    const schemas = closeRequestSchemas(document()).components?.schemas as Record<
      string,
      { additionalProperties?: boolean }
    >;
    expect(schemas.Thing.additionalProperties).toBe(false);
    expect(schemas.Part.additionalProperties).toBe(false);
    expect(schemas.Answer.additionalProperties).toBeUndefined();
  });
});
