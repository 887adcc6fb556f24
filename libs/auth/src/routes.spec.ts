import 'reflect-metadata';
import { HttpStatus, RequestMethod } from '@nestjs/common';
import { ALLOWED_CLIENT_KINDS, PUBLIC_ROUTE, REQUIRED_ROLES } from './decorators';
import { ANY_OFFICIAL, BearerController, Command, Create, Read, Remove } from './routes';

/** @nestjs/common's and @nestjs/swagger's metadata keys, as the router and the document read them. */
const PATH = 'path';
const METHOD = 'method';
const HTTP_CODE = '__httpCode__';
const OPERATION = 'swagger/apiOperation';
const PARAMETERS = 'swagger/apiParameters';
const TAGS = 'swagger/apiUseTags';
const SECURITY = 'swagger/apiSecurity';

@BearerController('v1/things', { tag: 'things', roles: ['admin'] })
class ThingsController {
  @Read(':id', { summary: 'One thing' })
  get(): string {
    return 'get';
  }

  @Create({ roles: ['commerce'], idempotencyKey: 'required' })
  create(): string {
    return 'create';
  }

  @Command(':id/approve', { roles: ['commerce'], summary: 'Approve' })
  approve(): string {
    return 'approve';
  }

  @Remove(':id', { status: HttpStatus.NO_CONTENT, clients: ['platform'], roles: ANY_OFFICIAL })
  remove(): string {
    return 'remove';
  }

  @Read('lag', { public: true })
  lag(): string {
    return 'lag';
  }
}

const handler = (name: keyof ThingsController): object =>
  Object.getOwnPropertyDescriptor(ThingsController.prototype, name)?.value as object;
const meta = (key: string, target: object): unknown => Reflect.getMetadata(key, target);

describe('composite route decorators', () => {
  it('state verb and path as @Get/@Post/@Delete would', () => {
    expect([meta(METHOD, handler('get')), meta(PATH, handler('get'))]).toEqual([
      RequestMethod.GET,
      ':id',
    ]);
    expect([meta(METHOD, handler('create')), meta(PATH, handler('create'))]).toEqual([
      RequestMethod.POST,
      '/',
    ]);
    expect(meta(METHOD, handler('remove'))).toBe(RequestMethod.DELETE);
  });

  it('answer 200 for a command, the verb default for a creation, a given status otherwise', () => {
    expect(meta(HTTP_CODE, handler('approve'))).toBe(HttpStatus.OK);
    expect(meta(HTTP_CODE, handler('create'))).toBeUndefined();
    expect(meta(HTTP_CODE, handler('remove'))).toBe(HttpStatus.NO_CONTENT);
  });

  it('mark who may call for the AuthGuard', () => {
    expect(meta(REQUIRED_ROLES, handler('approve'))).toEqual(['commerce']);
    expect(meta(REQUIRED_ROLES, handler('get'))).toBeUndefined();
    expect(meta(ALLOWED_CLIENT_KINDS, handler('remove'))).toEqual(['platform']);
    expect(meta(REQUIRED_ROLES, handler('remove'))).toEqual(ANY_OFFICIAL);
    expect(meta(PUBLIC_ROUTE, handler('lag'))).toBe(true);
  });

  it('document the summary, and a required Idempotency-Key only where asked', () => {
    expect(meta(OPERATION, handler('get'))).toEqual({ summary: 'One thing' });
    expect(meta(OPERATION, handler('create'))).toBeUndefined();
    expect(meta(PARAMETERS, handler('create'))).toEqual([
      expect.objectContaining({ in: 'header', name: 'Idempotency-Key', required: true }),
    ]);
    expect(meta(PARAMETERS, handler('approve'))).toBeUndefined();
  });

  it('a bearer controller is tagged, documented as secured, and may restrict all its routes', () => {
    expect(meta(PATH, ThingsController)).toBe('v1/things');
    expect(meta(TAGS, ThingsController)).toEqual(['things']);
    expect(meta(SECURITY, ThingsController)).toEqual([{ bearer: [] }]);
    expect(meta(REQUIRED_ROLES, ThingsController)).toEqual(['admin']);
  });
});
