import { applyDecorators, type Type } from '@nestjs/common';
import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { IsArray } from 'class-validator';
import { ProblemException } from './problem';

/**
 * The list property of a batch body (`orders`, `scans`). Only "an array" is validated here: each
 * item is checked on its own afterwards and answered `rejected` with its field problems, so one
 * bad item never fails the batch. The document names the item schema clients should send (the
 * controller declares it with @ApiExtraModels), yet admits any object, as the route does.
 */
export function BatchItems(item: Type, batch: { max: number; items: string }): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      description: `Up to ${batch.max} ${batch.items} (SPEC 4.4 shape, ${item.name}); each is answered on its own: an item that is not a valid ${item.name} is answered \`rejected\` with its field problems, and never fails the batch.`,
      type: 'array',
      items: { anyOf: [{ $ref: getSchemaPath(item) }, { type: 'object' }] },
    }),
    IsArray(),
  );
}

/**
 * The list of a batch request (orders, scans): at least one item, else 422 `no-<items>`, and at
 * most `max`, else 413 `too-many-<items>` with the limit, so a client knows how to split it.
 * Items are checked one by one afterwards; only the batch as a whole is refused here.
 */
export function checkBatchSize(
  items: readonly unknown[],
  max: number,
  item: string,
  plural = `${item}s`,
): void {
  if (items.length === 0) {
    throw new ProblemException(
      422,
      `no-${plural}`,
      `No ${plural}`,
      `${plural} must hold at least one ${item}.`,
    );
  }
  if (items.length > max) {
    throw new ProblemException(
      413,
      `too-many-${plural}`,
      `Too many ${plural}`,
      `A request carries at most ${max} ${plural} (this one has ${items.length}); split it.`,
      { limit: max, received: items.length },
    );
  }
}
