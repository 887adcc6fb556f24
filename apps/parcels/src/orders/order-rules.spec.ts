import { plainToInstance } from 'class-transformer';
import { OrderInput, type SellerCheckedOrder } from './order-input';
import { orderFacts, orderProblems, replacementProblem } from './order-rules';

function order(overrides: Partial<OrderInput> = {}): SellerCheckedOrder {
  return plainToInstance(OrderInput, {
    platform: 'taobao',
    orderNo: 'O-1',
    revision: 1,
    shopId: '573920114',
    sellerDivisionCode: '640521100000',
    placedAt: '2024-08-01T20:30:00+08:00',
    amountFen: 1001,
    items: [
      { sku: 'a', name: 'a', category: '枸杞', quantity: 1, amountFen: 667, agricultural: true },
      { sku: 'b', name: 'b', category: '包装', quantity: 1, amountFen: 334, agricultural: false },
    ],
    status: 'placed',
    ...overrides,
  }) as SellerCheckedOrder;
}

describe('order rules', () => {
  it('emits paid for an order created already paid, and nothing for an unchanged revision', () => {
    const paid = order({ status: 'paid', paidAt: '2024-08-01T20:31:00+08:00' });
    expect(orderFacts(null, paid, null).map((f) => f.factId)).toEqual(['taobao:O-1:paid']);
    expect(orderFacts(paid, { ...paid, revision: 2 }, null)).toEqual([]);
  });

  it('apportions refunds so that a full refund takes back exactly the agricultural amount', () => {
    const paidAt = '2024-08-01T20:31:00+08:00';
    const steps = [0, 1, 2, 500, 1000, 1001].map((refunded, i) =>
      order({
        revision: i + 1,
        status: 'paid',
        paidAt,
        ...(refunded > 0 ? { refundedAmountFen: refunded, refundedAt: paidAt } : {}),
      }),
    );
    const facts = steps.flatMap((step, i) => orderFacts(i === 0 ? null : steps[i - 1], step, null));
    const refunds = facts.filter((f) => f.kind === 'refunded');
    expect(refunds.reduce((s, f) => s + f.amountFen, 0)).toBe(1001);
    expect(refunds.reduce((s, f) => s + f.agriculturalAmountFen, 0)).toBe(667);
    expect(new Set(facts.map((f) => f.factId)).size).toBe(facts.length);
  });

  it('checks sums, the seller and refunds on their own', () => {
    expect(orderProblems(order())).toEqual([]);
    expect(orderProblems(order({ amountFen: 1000 })).map((p) => p.path)).toEqual(['amountFen']);
    expect(
      orderProblems(order({ sellerCreditCode: '93640521MA76L6QK0D' })).map((p) => p.path),
    ).toEqual(['sellerCreditCode']);
    expect(orderProblems(order({ status: 'shipped' })).map((p) => p.path)).toEqual(['paidAt']);
    expect(
      replacementProblem(
        order({ status: 'paid', paidAt: '2024-08-01T20:31:00+08:00' }),
        order({ revision: 2, status: 'paid', paidAt: '2024-08-01T12:31:00Z' }),
      ),
    ).toBeNull();
  });
});
