/**
 * Generates docs/asyncapi.yaml (AsyncAPI 3.0) from the topic declaration and the contract classes,
 * so the document cannot drift from the code: tools/asyncapi/asyncapi.spec.ts compares them.
 *
 *   npm run asyncapi          # rewrite docs/asyncapi.yaml
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
type SchemaObject = ReturnType<typeof validationMetadatasToSchemas>[string];
import { stringify } from 'yaml';
import {
  EVENT_CATALOGUE,
  TOPICS,
  allTopicDeclarations,
  carrierDoorDeclarations,
  topicConfigEntries,
  type EventDefinition,
  type TopicDeclaration,
} from '@ecomlog/contracts';

export const ASYNCAPI_PATH = join(__dirname, '..', '..', 'docs', 'asyncapi.yaml');

const CLOUD_EVENT_HEADERS = {
  type: 'object',
  required: ['ce_id', 'ce_source', 'ce_type', 'ce_specversion', 'ce_time', 'content-type'],
  properties: {
    ce_id: { type: 'string', description: 'CloudEvents id (unique per event)' },
    ce_source: { type: 'string', description: 'Producing service' },
    ce_type: { type: 'string', description: 'Reverse-DNS, versioned event type' },
    ce_specversion: { type: 'string', const: '1.0' },
    ce_time: { type: 'string', format: 'date-time' },
    ce_subject: { type: 'string', description: 'The aggregate the event is about' },
    ce_correlationid: {
      type: 'string',
      description: 'Correlation id of the request or event that caused it',
    },
    'content-type': { type: 'string', const: 'application/json' },
  },
};

function channelId(topic: TopicDeclaration): string {
  return topic.name
    .replace(/\.(\w)/g, (_, c: string) => c.toUpperCase())
    .replace(/[^A-Za-z0-9]/g, '');
}

function messageId(definition: EventDefinition<object>): string {
  return definition.payload.name.replace(/V\d+$/, '');
}

// class-transformer's @Type metadata tells the schema generator what nested arrays hold.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: MetadataStorage;
};

/** Payload schemas plus every schema they reference, transitively. */
function payloadSchemas(): Record<string, SchemaObject> {
  const schemas = validationMetadatasToSchemas({
    refPointerPrefix: '#/components/schemas/',
    classTransformerMetadataStorage: defaultMetadataStorage,
  });
  const wanted = new Set(EVENT_CATALOGUE.map((d) => d.payload.name));
  const pending = [...wanted];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    for (const [, ref] of JSON.stringify(schemas[name] ?? {}).matchAll(
      /#\/components\/schemas\/(\w+)/g,
    )) {
      if (!wanted.has(ref)) {
        wanted.add(ref);
        pending.push(ref);
      }
    }
  }
  return Object.fromEntries(
    Object.entries(schemas)
      .filter(([name]) => wanted.has(name))
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

export function renderAsyncApi(): string {
  const usedSchemas = payloadSchemas();
  const declared = new Set<string>(
    [...Object.values(TOPICS), ...carrierDoorDeclarations()].map((t) => t.name),
  );

  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const topic of allTopicDeclarations()) {
    // A courier's door carries the same scan payload as the HTTP door's topic.
    const carries = topic.carrier ? TOPICS.parcelScans.name : topic.name;
    const events = EVENT_CATALOGUE.filter((d) => d.topic.name === carries);
    const isDeadLetter = !declared.has(topic.name);
    channels[channelId(topic)] = {
      address: topic.name,
      description:
        `${topic.description} Key: ${topic.key}. Producer: ${topic.producer}.` +
        (topic.example ? `\n\nExample:\n\n    ${topic.example}` : ''),
      messages: Object.fromEntries(
        events.map((d) => [messageId(d), { $ref: `#/components/messages/${messageId(d)}` }]),
      ),
      bindings: {
        kafka: {
          topic: topic.name,
          partitions: topic.partitions,
          topicConfiguration: {
            'cleanup.policy': [topicConfigEntries(topic)['cleanup.policy']],
            ...(topic.compacted ? {} : { 'retention.ms': topic.retentionMs }),
          },
        },
      },
    };
    if (events.length > 0 && !isDeadLetter) {
      operations[
        `${topic.producer === 'external' ? 'receive' : 'send'}${channelId(topic).replace(/^./, (c) => c.toUpperCase())}`
      ] = {
        action: topic.producer === 'external' ? 'receive' : 'send',
        channel: { $ref: `#/channels/${channelId(topic)}` },
        messages: events.map((d) => ({
          $ref: `#/channels/${channelId(topic)}/messages/${messageId(d)}`,
        })),
      };
    }
  }

  const messages = Object.fromEntries(
    EVENT_CATALOGUE.map((d) => [
      messageId(d),
      {
        name: d.type,
        title: messageId(d),
        summary: d.summary,
        contentType: 'application/json',
        headers: CLOUD_EVENT_HEADERS,
        payload: { $ref: `#/components/schemas/${d.payload.name}` },
        bindings: { kafka: { key: { type: 'string', description: d.topic.key } } },
        examples: [
          {
            name: 'example',
            headers: { ce_type: d.type, ce_specversion: '1.0' },
            payload: d.example,
          },
        ],
      },
    ]),
  );

  const document = {
    asyncapi: '3.0.0',
    info: {
      title: 'ecomlog event platform',
      version: '1.0.0',
      description:
        'Every Kafka topic of the county e-commerce and express-logistics platform. Events are ' +
        'CloudEvents 1.0 in Kafka binary content mode: attributes in ce_* headers, JSON data as ' +
        'the value. Generated from libs/contracts; do not edit by hand (npm run asyncapi).',
    },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description: 'Local stack (npm run stack:up)',
      },
    },
    channels,
    operations,
    components: { messages, schemas: usedSchemas },
  };
  return `# Generated by tools/asyncapi/render-asyncapi.ts — do not edit.\n${stringify(document, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}

if (require.main === module) {
  writeFileSync(ASYNCAPI_PATH, renderAsyncApi());
  console.log(`wrote ${ASYNCAPI_PATH}`);
}
