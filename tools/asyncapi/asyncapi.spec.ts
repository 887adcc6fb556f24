import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { EVENT_CATALOGUE, allTopicDeclarations } from '@ecomlog/contracts';
import { ASYNCAPI_PATH, renderAsyncApi } from './render-asyncapi';

interface AsyncApiDocument {
  asyncapi: string;
  channels: Record<string, { address: string; messages: Record<string, unknown> }>;
  components: {
    messages: Record<string, { name: string; payload: { $ref: string } }>;
    schemas: Record<string, { properties?: Record<string, unknown> }>;
  };
}

describe('docs/asyncapi.yaml', () => {
  it('is exactly what the contracts generate (run `npm run asyncapi` after changing a contract)', () => {
    expect(readFileSync(ASYNCAPI_PATH, 'utf8')).toBe(renderAsyncApi());
  });

  const document = parse(renderAsyncApi()) as AsyncApiDocument;

  it('describes every declared topic, dead-letter topics included', () => {
    const addresses = Object.values(document.channels)
      .map((c) => c.address)
      .sort();
    expect(addresses).toEqual(
      allTopicDeclarations()
        .map((t) => t.name)
        .sort(),
    );
  });

  it('describes every event with its payload schema and every payload field', () => {
    expect(document.asyncapi).toBe('3.0.0');
    for (const definition of EVENT_CATALOGUE) {
      const message = Object.values(document.components.messages).find(
        (m) => m.name === definition.type,
      );
      expect(message?.payload.$ref).toBe(`#/components/schemas/${definition.payload.name}`);
      const schema = document.components.schemas[definition.payload.name];
      expect(Object.keys(schema.properties ?? {}).sort()).toEqual(
        Object.keys(definition.example).sort(),
      );
    }
  });
});
