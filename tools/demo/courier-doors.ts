import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { carrierDoorTopic } from '@ecomlog/contracts';
import { TokenSource } from './demo-http';
import { kafkaBrokers, type ClientCredentials } from './demo-settings';
import type { PlannedScan } from './generators';

/**
 * The demo's couriers on Kafka, signed in like any courier: each carrier's producer presents its
 * courier client's registry token (SASL OAUTHBEARER) and writes only that carrier's scan door,
 * which is all the broker lets it do.
 */
export class CourierDoors {
  private readonly producers = new Map<string, Promise<Producer>>();

  constructor(
    private readonly registryUrl: string,
    private readonly clientOf: (carrier: string) => ClientCredentials | undefined,
  ) {}

  /**
   * Sends scans, 1,000 per produce call, each through its carrier's door. `patienceMs`: how long
   * to keep retrying a refusal, e.g. right after the seed registered a courier, while the registry
   * is still granting its Kafka access.
   */
  async send(scans: PlannedScan[], patienceMs = 0): Promise<void> {
    const deadline = Date.now() + patienceMs;
    for (;;) {
      try {
        await this.sendOnce(scans);
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await this.disconnect();
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
  }

  private async sendOnce(scans: PlannedScan[]): Promise<void> {
    const byCarrier = new Map<string, PlannedScan[]>();
    for (const planned of scans) {
      const list = byCarrier.get(planned.scan.carrier) ?? [];
      list.push(planned);
      byCarrier.set(planned.scan.carrier, list);
    }
    await Promise.all(
      [...byCarrier].map(async ([carrier, list]) => {
        const producer = await this.producer(carrier);
        // One produce request must stay under the broker's message size limit.
        for (let i = 0; i < list.length; i += 1000) {
          await producer.send({
            topic: carrierDoorTopic(carrier),
            acks: -1,
            messages: list
              .slice(i, i + 1000)
              .map(({ scan }) => ({ key: scan.waybillNo, value: JSON.stringify(scan) })),
          });
        }
      }),
    );
  }

  async disconnect(): Promise<void> {
    const producers = await Promise.allSettled(this.producers.values());
    this.producers.clear();
    for (const result of producers) {
      if (result.status === 'fulfilled') await result.value.disconnect();
    }
  }

  private producer(carrier: string): Promise<Producer> {
    let producer = this.producers.get(carrier);
    if (!producer) {
      const client = this.clientOf(carrier);
      if (!client) throw new Error(`no courier client of ${carrier}: run npm run demo:seed first`);
      const tokens = TokenSource.client(this.registryUrl, client.clientId, client.clientSecret);
      const kafka = new Kafka({
        clientId: `demo-courier-${carrier.toLowerCase()}`,
        brokers: kafkaBrokers,
        logLevel: logLevel.WARN,
        sasl: {
          mechanism: 'oauthbearer',
          oauthBearerProvider: async () => ({ value: await tokens.token() }),
        },
      });
      const created = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      producer = created.connect().then(() => created);
      producer.catch(() => this.producers.delete(carrier));
      this.producers.set(carrier, producer);
    }
    return producer;
  }
}
