import { snakeCase, SnakeNamingStrategy } from './snake-naming.strategy';

describe('SnakeNamingStrategy', () => {
  it('turns class and property names into snake_case', () => {
    expect(snakeCase('OutboxEvent')).toBe('outbox_event');
    expect(snakeCase('amountFen')).toBe('amount_fen');
    expect(snakeCase('HTTPRequestLog')).toBe('http_request_log');
    const naming = new SnakeNamingStrategy();
    expect(naming.tableName('ConsumerOffset', undefined)).toBe('consumer_offset');
    expect(naming.tableName('ConsumerOffset', 'custom')).toBe('custom');
    expect(naming.columnName('nextOffset', undefined, [])).toBe('next_offset');
    expect(naming.columnName('city', undefined, ['address'])).toBe('address_city');
  });
});
