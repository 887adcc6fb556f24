import { ArgumentsHost } from '@nestjs/common';
import type { AppLogger } from '@ecomlog/observability';
import { Conflict, InvalidState, NotFound, NotPermitted, OutsideRegion } from './domain-errors';
import { ProblemDetailsFilter } from './problem.filter';

/** What the problem filter sends for an exception: status and the parsed problem document. */
function answer(exception: unknown): { status: number; body: Record<string, unknown> } {
  const sent: { status: number; body: string } = { status: 0, body: '' };
  const response = {
    status(code: number) {
      sent.status = code;
      return this;
    },
    type() {
      return this;
    },
    setHeader() {
      return this;
    },
    send(body: string) {
      sent.body = body;
      return this;
    },
  };
  const request = { url: '/v1/things/1', originalUrl: '/v1/things/1', method: 'GET', path: '/' };
  const host = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ArgumentsHost;
  const logger = { error: jest.fn(), warn: jest.fn() } as unknown as AppLogger;
  new ProblemDetailsFilter(logger).catch(exception, host);
  return { status: sent.status, body: JSON.parse(sent.body) as Record<string, unknown> };
}

const PROBLEMS = 'https://ecomlog.cn/problems/';

describe('domain errors', () => {
  it('NotFound names the entity in type, title and detail', () => {
    const { status, body } = answer(new NotFound('enterprise', 'e-1'));
    expect(status).toBe(404);
    expect(body).toMatchObject({
      type: `${PROBLEMS}enterprise-not-found`,
      title: 'Enterprise not found',
      status: 404,
      detail: 'No enterprise with id e-1.',
      instance: '/v1/things/1',
    });
  });

  it('NotFound dashes a kind of several words and takes its own wording', () => {
    const error = new NotFound('funding source', 'f-9', {
      detail: 'No funding source with id f-9 in your region.',
    });
    expect(error.problemType).toBe('funding-source-not-found');
    expect(error.title).toBe('Funding source not found');
    const custom = new NotFound('division', '640521000000', {
      title: 'Division not known',
      detail: 'Division 640521000000 has not arrived yet.',
      extensions: { code: '640521000000' },
    });
    expect(answer(custom).body).toMatchObject({
      type: `${PROBLEMS}division-not-found`,
      title: 'Division not known',
      detail: 'Division 640521000000 has not arrived yet.',
      code: '640521000000',
    });
  });

  it('Conflict, InvalidState and NotPermitted answer 409, 422 and 403 with their type', () => {
    expect(
      answer(new Conflict('site-name-taken', 'Site already registered', 'd')).body,
    ).toMatchObject({
      status: 409,
      type: `${PROBLEMS}site-name-taken`,
      title: 'Site already registered',
      detail: 'd',
    });
    expect(
      answer(
        new InvalidState('enterprise-deregistered', 'Enterprise deregistered', 'd', { id: 'x' }),
      ).body,
    ).toMatchObject({ status: 422, type: `${PROBLEMS}enterprise-deregistered`, id: 'x' });
    expect(answer(new NotPermitted('four-eyes-principle', 'A second official', 'd')).status).toBe(
      403,
    );
  });

  it('OutsideRegion is the 403 outside-region problem, seen by callers as status and type', () => {
    const error = new OutsideRegion('Division 370982000000 is outside your region (6405).');
    expect(error).toMatchObject({ status: 403, problemType: 'outside-region' });
    expect(answer(error).body).toMatchObject({
      type: `${PROBLEMS}outside-region`,
      title: 'Outside your region',
      status: 403,
      detail: 'Division 370982000000 is outside your region (6405).',
    });
  });
});
