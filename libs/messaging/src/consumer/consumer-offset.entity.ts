import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The next offset a consumer group will process, stored in the consumer's own database and
 * updated in the same transaction as the consumer's effects: this is what makes a redelivered
 * batch harmless and a crash at any instant lossless.
 */
@Entity({ name: 'consumer_offset' })
export class ConsumerOffset {
  @PrimaryColumn({ type: 'text' })
  consumerGroup!: string;

  @PrimaryColumn({ type: 'text' })
  topic!: string;

  @PrimaryColumn({ type: 'int' })
  partition!: number;

  @Column({ type: 'bigint' })
  nextOffset!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
