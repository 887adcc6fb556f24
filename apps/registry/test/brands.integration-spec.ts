import type { EnterpriseChangedV1 } from '@ecomlog/contracts';
import { uniqueSuffix } from '@ecomlog/testing';
import { problem, testRegion, useSeededRegistry } from './support/enterprise-fixtures';

const region = testRegion();
const { city, county, COUNTY, retailer } = region;
const OTHER_COUNTY = `${city}02000000`;

describe('public brands (registry) on the real database, Kafka and Redis', () => {
  const t = useSeededRegistry(region, [[OTHER_COUNTY, '邻县']]);
  const { create, outbox } = t;

  interface BrandView {
    id: string;
    name: string;
    divisionCode: string;
    description: string | null;
    authorisedEnterprises: { enterpriseId: string; creditCode: string; authorisedOn: string }[];
    products: { traceabilityCode: string; name: string; enterpriseId: string }[];
    version: number;
  }

  let brand: BrandView;
  let grower: EnterpriseChangedV1;
  let stranger: EnterpriseChangedV1;
  let neighbour: EnterpriseChangedV1;

  beforeAll(async () => {
    grower = await create(retailer({ name: '宁安堡枸杞种植专业合作社', kinds: ['cooperative'] }));
    stranger = await create(retailer({ name: '另一家枸杞公司' }));
    neighbour = await create(retailer({ registeredDivisionCode: OTHER_COUNTY }));
  });

  it('creates a regional public brand held by a division, with a unique name', async () => {
    const response = await t.api
      .post('/v1/brands')
      .send({ name: '中宁枸杞', divisionCode: COUNTY, description: '地理标志证明商标' })
      .expect(201);
    brand = response.body as BrandView;
    expect(brand).toMatchObject({
      divisionCode: COUNTY,
      description: '地理标志证明商标',
      authorisedEnterprises: [],
      products: [],
      version: 1,
    });
    await t.api.get(`/v1/brands/${brand.id}`).expect(200, brand);

    const duplicate = await problem(
      t.api.post('/v1/brands').send({ name: brand.name, divisionCode: COUNTY }),
      409,
    );
    expect(duplicate.detail).toContain(brand.id);
    const nowhere = await problem(
      t.api.post('/v1/brands').send({ name: '无处品牌', divisionCode: `${county}199000` }),
      422,
    );
    expect(nowhere.type).toMatch(/division-not-found$/);
    await problem(t.api.get('/v1/brands/7d1c3f0e-0000-4000-8000-000000000000'), 404);
  });

  it('authorises enterprises of its region and republishes each as an enterprise event', async () => {
    const response = await t.api
      .post(`/v1/brands/${brand.id}/authorisations`)
      .send({ enterpriseId: grower.id, authorisedOn: '2023-05-10' })
      .expect(201);
    expect(response.body).toMatchObject({
      authorisedEnterprises: [
        { enterpriseId: grower.id, creditCode: grower.creditCode, authorisedOn: '2023-05-10' },
      ],
      version: 2,
    });
    const events = await outbox(grower.id);
    expect(events.map((row) => row.payload.version)).toEqual([1, 2]);
    expect(events[1].payload.brands).toEqual([
      { brandId: brand.id, brandName: brand.name, authorisedOn: '2023-05-10', products: [] },
    ]);

    const again = await problem(
      t.api.post(`/v1/brands/${brand.id}/authorisations`).send({ enterpriseId: grower.id }),
      409,
    );
    expect(again.detail).toContain('since 2023-05-10');
    const outside = await problem(
      t.api.post(`/v1/brands/${brand.id}/authorisations`).send({ enterpriseId: neighbour.id }),
      422,
    );
    expect(outside.type).toMatch(/enterprise-outside-brand-region$/);
    const missing = await problem(
      t.api
        .post(`/v1/brands/${brand.id}/authorisations`)
        .send({ enterpriseId: '7d1c3f0e-0000-4000-8000-000000000000' }),
      422,
    );
    expect(missing.type).toMatch(/enterprise-not-found$/);
  });

  it('lists products only of authorised enterprises, each with its own traceability code', async () => {
    const refused = await problem(
      t.api.post(`/v1/brands/${brand.id}/products`).send({
        name: '枸杞原浆 250ml',
        traceabilityCode: `T-${uniqueSuffix()}`,
        enterpriseId: stranger.id,
      }),
      422,
    );
    expect(refused.type).toMatch(/enterprise-not-authorised$/);
    expect(refused.detail).toContain(`POST /v1/brands/${brand.id}/authorisations`);
    expect(await outbox(stranger.id)).toHaveLength(1);

    const code = `ZNGQ-${uniqueSuffix()}`;
    const added = await t.api
      .post(`/v1/brands/${brand.id}/products`)
      .send({ name: '中宁枸杞 特级 500g', traceabilityCode: code, enterpriseId: grower.id })
      .expect(201);
    expect(added.body).toMatchObject({
      products: [{ traceabilityCode: code, name: '中宁枸杞 特级 500g', enterpriseId: grower.id }],
      version: 3,
    });
    const latest = (await outbox(grower.id)).at(-1)?.payload;
    expect(latest).toMatchObject({
      version: 3,
      brands: [
        {
          brandId: brand.id,
          products: [{ name: '中宁枸杞 特级 500g', traceabilityCode: code }],
        },
      ],
    });
    await t.api.get(`/v1/enterprises/${grower.id}`).expect(200, latest);

    const reused = await problem(
      t.api
        .post(`/v1/brands/${brand.id}/products`)
        .send({ name: '另一款', traceabilityCode: code, enterpriseId: grower.id }),
      409,
    );
    expect(reused.detail).toContain('中宁枸杞 特级 500g');
    await problem(
      t.api
        .post(`/v1/brands/${brand.id}/products`)
        .send({ name: '坏码', traceabilityCode: 'a b', enterpriseId: grower.id }),
      400,
    );
  });
});
