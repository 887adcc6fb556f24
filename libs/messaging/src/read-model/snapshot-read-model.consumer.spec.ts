import type { EntityManager } from 'typeorm';
import type { ConsumedEvent } from '../consumer/event-consumer';
import { SnapshotReadModelConsumer, type SnapshotChunk } from './snapshot-read-model.consumer';
import { defineSnapshotTable } from './snapshot-table';

interface Site {
  id: string;
  name: string;
  version: number;
}

const KNOWN_SITE = defineSnapshotTable<Site>({
  table: 'known_site',
  key: ['id'],
  columns: {
    id: { type: 'uuid', from: (s) => s.id },
    name: { type: 'text', from: (s) => s.name },
    version: { type: 'int', from: (s) => s.version },
  },
});

const A = 'a0000000-0000-4000-8000-000000000001';
const B = 'b0000000-0000-4000-8000-000000000002';

function site(id: string, version: number): Site {
  return { id, name: `${id.slice(0, 1)}${version}`, version };
}

class RecordingSiteConsumer extends SnapshotReadModelConsumer<Site> {
  protected readonly snapshots = KNOWN_SITE;
  readonly calls: string[] = [];
  chunk?: SnapshotChunk<Site>;

  /** What a subclass's decorated handler does with a chunk. */
  handle(events: ConsumedEvent<Site>[], tx: EntityManager): Promise<void> {
    return this.upsert(events, tx);
  }

  protected override accepts(payload: Site): boolean {
    return payload.version > 0;
  }

  protected override async beforeUpsert(_tx: EntityManager, latest: Site[]): Promise<void> {
    this.calls.push(`before ${latest.length}`);
  }

  protected override async afterUpsert(
    _tx: EntityManager,
    chunk: SnapshotChunk<Site>,
  ): Promise<void> {
    this.calls.push('after');
    this.chunk = chunk;
  }
}

function consumed(payload: Site): ConsumedEvent<Site> {
  return { payload } as ConsumedEvent<Site>;
}

describe('SnapshotReadModelConsumer', () => {
  function fakeTx(returned: Record<string, unknown>[]) {
    const query = jest.fn(async () => returned);
    return { tx: { query } as unknown as EntityManager, query };
  }

  it('writes the accepted newest payloads in one statement between its hooks', async () => {
    const consumer = new RecordingSiteConsumer();
    const { tx, query } = fakeTx([{ id: B }]);
    await consumer.handle(
      [consumed(site(A, 1)), consumed(site(B, 1)), consumed(site(B, 2)), consumed(site(A, 0))],
      tx,
    );
    expect(query).toHaveBeenCalledTimes(1);
    expect(query).toHaveBeenCalledWith(
      KNOWN_SITE.sql,
      KNOWN_SITE.parameters([site(A, 1), site(B, 2)]),
    );
    expect(consumer.calls).toEqual(['before 2', 'after']);
    expect(consumer.chunk).toEqual({ latest: [site(A, 1), site(B, 2)], written: [site(B, 2)] });
  });

  it('touches nothing when no payload is accepted', async () => {
    const consumer = new RecordingSiteConsumer();
    const { tx, query } = fakeTx([]);
    await consumer.handle([consumed(site(A, 0))], tx);
    expect(query).not.toHaveBeenCalled();
    expect(consumer.calls).toEqual([]);
  });
});
