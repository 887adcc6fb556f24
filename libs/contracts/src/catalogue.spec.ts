import { EVENT_CATALOGUE, TOPICS, allTopicDeclarations, validatePayload } from './index';

describe('event catalogue', () => {
  it.each(EVENT_CATALOGUE.map((d) => [d.type, d] as const))(
    '%s example satisfies its payload class',
    (_type, definition) => {
      const check = validatePayload(definition.payload, definition.example, 'produce');
      expect(check).toEqual({ ok: true, value: expect.any(definition.payload) });
    },
  );

  it('publishes every event on a declared topic with a unique type', () => {
    const declared = new Set<string>(Object.values(TOPICS).map((t) => t.name));
    for (const definition of EVENT_CATALOGUE)
      expect(declared.has(definition.topic.name)).toBe(true);
    expect(new Set(EVENT_CATALOGUE.map((d) => d.type)).size).toBe(EVENT_CATALOGUE.length);
  });

  it('declares a dead-letter topic for every topic and keeps names unique', () => {
    const names = allTopicDeclarations().map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('parcels.scans.v1.dlq');
    expect(TOPICS.parcelScans.partitions).toBeGreaterThanOrEqual(12);
  });
});

describe('validatePayload', () => {
  const division = EVENT_CATALOGUE[0];

  it('names the failing fields', () => {
    const check = validatePayload(
      division.payload,
      { ...division.example, code: '12', version: 0 },
      'consume',
    );
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.problems.map((p) => p.path).sort()).toEqual(['code', 'version']);
    }
  });

  it('is strict about unknown fields on produce and tolerant on consume', () => {
    const withExtra = { ...division.example, addedLater: true };
    expect(validatePayload(division.payload, withExtra, 'produce').ok).toBe(false);
    expect(validatePayload(division.payload, withExtra, 'consume').ok).toBe(true);
  });

  it('rejects non-objects', () => {
    expect(validatePayload(division.payload, [1, 2], 'consume')).toEqual({
      ok: false,
      problems: [{ path: '', message: 'payload must be a JSON object' }],
    });
  });
});
