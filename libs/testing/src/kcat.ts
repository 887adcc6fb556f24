import { execFileSync } from 'node:child_process';
import { stack, stackKafkaUser } from './stack-settings';

/**
 * kcat's settings to sign in as one of the stack's static users. Debian's kcat (librdkafka 2.0.2)
 * can do SASL PLAIN only; couriers' OAUTHBEARER needs librdkafka ≥ 2.6.1 built with curl (see
 * apps/parcels/README.md), so tests that act as a courier use Kafka's own console clients.
 */
export function kcatSignIn(username = 'admin'): string[] {
  const user = stackKafkaUser(username);
  return [
    '-X',
    'security.protocol=SASL_PLAINTEXT',
    '-X',
    'sasl.mechanisms=PLAIN',
    '-X',
    `sasl.username=${user.username}`,
    '-X',
    `sasl.password=${user.password}`,
  ];
}

/** Writes `key:value` lines to `topic` with kcat, as a non-Node client would (acks=all). */
export function produceWithKcat(topic: string, lines: string[], username = 'admin'): void {
  execFileSync(
    'kcat',
    [
      '-P',
      '-b',
      stack.kafkaBrokers[0],
      '-t',
      topic,
      '-K:',
      '-X',
      'acks=all',
      ...kcatSignIn(username),
    ],
    { input: `${lines.join('\n')}\n`, timeout: 30000 },
  );
}
