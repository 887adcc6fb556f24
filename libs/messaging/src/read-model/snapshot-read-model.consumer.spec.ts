import type { EntityManager } from 'typeorm';
import type { ConsumedEvent } from '../consumer/event-consumer';
import { SnapshotReadModelConsumer, type SnapshotChunk } from './snapshot-read-model.consumer';
import { A, B, KNOWN_SITE, knownSite as site, type KnownSite as Site } from '../../test/known-site';

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
