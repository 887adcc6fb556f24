import { ConsumerHealth, consumerHealthOf } from './consumer-health';

describe('consumer health', () => {
  it('reports groups that crashed or have not joined, and forgets stopped ones', () => {
    const health = new ConsumerHealth();
    health.set('sites.divisions', 'joining');
    health.set('sites.enterprises', 'joining');
    health.set('sites.divisions', 'joined');
    expect(health.unhealthy().map((g) => [g.groupId, g.state])).toEqual([
      ['sites.enterprises', 'joining'],
    ]);
    health.set('sites.enterprises', 'joined');
    health.set('sites.divisions', 'crashed', 'The group coordinator is not available');
    expect(health.unhealthy()).toEqual([
      expect.objectContaining({
        groupId: 'sites.divisions',
        state: 'crashed',
        reason: 'The group coordinator is not available',
      }),
    ]);
    health.forget('sites.divisions');
    expect(health.unhealthy()).toEqual([]);
    expect(health.list().map((g) => g.groupId)).toEqual(['sites.enterprises']);
  });

  it('keeps one record per gateway', () => {
    const gateway = {};
    expect(consumerHealthOf(gateway)).toBe(consumerHealthOf(gateway));
    expect(consumerHealthOf({})).not.toBe(consumerHealthOf(gateway));
  });
});
