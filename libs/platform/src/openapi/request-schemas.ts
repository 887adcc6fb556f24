import type { OpenAPIObject } from '@nestjs/swagger';

type Json = Record<string, unknown>;

function refsIn(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) value.forEach((item) => refsIn(item, into));
  else if (value && typeof value === 'object') {
    for (const [key, nested] of Object.entries(value)) {
      if (key === '$ref' && typeof nested === 'string') into.add(nested.split('/').pop() ?? '');
      else refsIn(nested, into);
    }
  }
}

/**
 * Request bodies are validated with forbidNonWhitelisted: an unknown field is a 400. The schemas
 * a request body uses (and the ones they nest) say so with `additionalProperties: false`;
 * response schemas stay open, so adding a field to an answer is not a breaking change.
 */
export function closeRequestSchemas(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Json>;
  const pending = new Set<string>();
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as Json[]) {
      if (operation && typeof operation === 'object') refsIn(operation.requestBody, pending);
    }
  }
  const closed = new Set<string>();
  for (const name of pending) {
    if (closed.has(name) || !schemas[name]) continue;
    closed.add(name);
    const schema = schemas[name];
    if (schema.type === 'object' || schema.properties) schema.additionalProperties ??= false;
    const nested = new Set<string>();
    refsIn(schema, nested);
    nested.forEach((ref) => pending.add(ref));
  }
  return document;
}
