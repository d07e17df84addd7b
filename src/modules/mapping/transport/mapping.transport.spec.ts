import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import type { INestApplication } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { Test } from '@nestjs/testing';
import { buildGraphqlOptions } from 'src/common/graphql/graphql-options';
import { APP_CONFIG } from 'src/config/app-config';
import { ERP_PORT } from 'src/modules/erp';
import { ActivateMappingVersion } from 'src/modules/mapping/application/activate-mapping-version.use-case';
import { GetOrderMapping } from 'src/modules/mapping/application/get-order-mapping.query';
import { MappingReader } from 'src/modules/mapping/application/mapping-reader.service';
import { MappingShops } from 'src/modules/mapping/application/mapping-shops';
import { OwnershipPolicyService } from 'src/modules/mapping/application/ownership-policy.service';
import { RollBackMappingVersion } from 'src/modules/mapping/application/roll-back-mapping-version.use-case';
import { SaveMappingVersion } from 'src/modules/mapping/application/save-mapping-version.use-case';
import type { MappingVersion, OrderMappingConfig } from 'src/modules/mapping/domain/order-mapping.types';
import type { OwnershipRule } from 'src/modules/mapping/domain/ownership-policy';
import { MappingVersionRepository } from 'src/modules/mapping/persistence/mapping-version.repository';
import { OwnershipPolicyRepository } from 'src/modules/mapping/persistence/ownership-policy.repository';
import { MappingController } from 'src/modules/mapping/transport/mapping.controller';
import { MappingResolver } from 'src/modules/mapping/transport/mapping.resolver';
import { ShopDirectory } from 'src/modules/shops';
import request from 'supertest';
import { TEST_ADMIN_KEY, TEST_SHOP, testConfig } from 'test/support/test-config';

/** In memory, with the real repository's semantics (numbering, activations appended). */
class FakeVersions {
  versions: MappingVersion[] = [];
  activations: number[] = [];
  create(shop: string, config: OrderMappingConfig, createdBy: string, note?: string): Promise<MappingVersion> {
    const version = { shop, version: this.versions.length + 1, config, createdBy, createdAt: new Date(), note };
    this.versions.push(version);
    return Promise.resolve(version);
  }
  async bootstrap(shop: string, config: OrderMappingConfig, createdBy: string): Promise<boolean> {
    if (this.versions.length > 0) {
      return false;
    }
    await this.create(shop, config, createdBy);
    this.activations.push(1);
    return true;
  }
  find(_shop: string, version: number): Promise<MappingVersion | null> {
    return Promise.resolve(this.versions.find((v) => v.version === version) ?? null);
  }
  list(_shop: string, first: number, before?: number): Promise<MappingVersion[]> {
    return Promise.resolve(
      [...this.versions]
        .reverse()
        .filter((v) => before === undefined || v.version < before)
        .slice(0, first),
    );
  }
  count(): Promise<number> {
    return Promise.resolve(this.versions.length);
  }
  activate(_shop: string, version: number): Promise<boolean> {
    const found = this.versions.some((v) => v.version === version);
    if (found) {
      this.activations.push(version);
    }
    return Promise.resolve(found);
  }
  reactivate(_shop: string, version: number): Promise<boolean> {
    const was = this.activations.includes(version);
    if (was) {
      this.activations.push(version);
    }
    return Promise.resolve(was);
  }
  previouslyActive(): Promise<number | null> {
    const current = this.activations.at(-1);
    return Promise.resolve([...this.activations].reverse().find((v) => v !== current) ?? null);
  }
  activeVersion(): Promise<number | null> {
    return Promise.resolve(this.activations.at(-1) ?? null);
  }
  async active(shop: string): Promise<unknown> {
    const number = await this.activeVersion();
    const version = number === null ? null : await this.find(shop, number);
    return version === null ? null : { ...version, activatedBy: 'x', activatedAt: new Date() };
  }
}

class FakePolicies {
  stored: { rules: OwnershipRule[]; updatedBy: string; updatedAt: Date } | null = null;
  find(): Promise<typeof this.stored> {
    return Promise.resolve(this.stored);
  }
  save(_shop: string, rules: OwnershipRule[], updatedBy: string): Promise<NonNullable<typeof this.stored>> {
    this.stored = { rules, updatedBy, updatedAt: new Date() };
    return Promise.resolve(this.stored);
  }
}

const SAVE = `mutation Save($shop: String!, $config: OrderMappingConfigInput!, $activate: Boolean) {
  saveOrderMapping(shop: $shop, config: $config, activate: $activate) { version active createdBy config { fields { target source { kind value } } } }
}`;

describe('mapping admin API (GraphQL and REST transport)', () => {
  let app: INestApplication;
  let versions: FakeVersions;

  const graphql = (query: string, variables: Record<string, unknown>, key: string | null = TEST_ADMIN_KEY) => {
    const req = request(app.getHttpServer()).post('/graphql').set('Content-Type', 'application/json');
    return (key === null ? req : req.set('Authorization', `Bearer ${key}`)).send({ query, variables });
  };
  const rest = () => ({
    get: (path: string) => request(app.getHttpServer()).get(path).set('Authorization', `Bearer ${TEST_ADMIN_KEY}`),
    post: (path: string) => request(app.getHttpServer()).post(path).set('Authorization', `Bearer ${TEST_ADMIN_KEY}`),
    put: (path: string) => request(app.getHttpServer()).put(path).set('Authorization', `Bearer ${TEST_ADMIN_KEY}`),
  });

  beforeAll(async () => {
    versions = new FakeVersions();
    const moduleRef = await Test.createTestingModule({
      imports: [
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          ...buildGraphqlOptions({ production: true }),
        }),
      ],
      controllers: [MappingController],
      providers: [
        MappingResolver,
        MappingShops,
        MappingReader,
        GetOrderMapping,
        SaveMappingVersion,
        ActivateMappingVersion,
        RollBackMappingVersion,
        OwnershipPolicyService,
        { provide: MappingVersionRepository, useValue: versions },
        { provide: OwnershipPolicyRepository, useValue: new FakePolicies() },
        { provide: APP_CONFIG, useValue: testConfig('unit', 0) },
        {
          provide: ShopDirectory,
          useValue: { find: (domain: string) => Promise.resolve(domain === TEST_SHOP ? { domain } : undefined) },
        },
        {
          provide: ERP_PORT,
          useValue: {
            name: 'sandbox',
            orderMapping: { sections: ['shipMethod'], fields: [{ name: 'memo', description: 'memo', maxLength: 999 }] },
          },
        },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });

  afterAll(async () => {
    await app.close();
  });

  it('refuses a request without an API key', async () => {
    const res = await graphql(SAVE, { shop: TEST_SHOP, config: {} }, null);
    expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await request(app.getHttpServer()).get(`/admin/shops/${TEST_SHOP}/mapping`)).status).toBe(401);
  });

  it('saves a version through GraphQL, recording who saved it', async () => {
    const res = await graphql(SAVE, {
      shop: TEST_SHOP,
      activate: true,
      config: { fields: [{ target: 'memo', source: { kind: 'CONSTANT', value: 'hello' } }] },
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.saveOrderMapping).toEqual({
      version: 2,
      active: true,
      createdBy: expect.stringMatching(/^api-key:[0-9a-f]{8}$/),
      config: { fields: [{ target: 'memo', source: { kind: 'CONSTANT', value: 'hello' } }] },
    });
    expect(JSON.stringify(res.body)).not.toContain(TEST_ADMIN_KEY);
  });

  it('answers an invalid mapping with field-level errors: GraphQL extensions.fieldErrors and REST 400 alike', async () => {
    const config = {
      paymentGateways: [{ gateway: 'paypal', paymentMethod: 'PP' }],
      fields: [{ target: 'memo', source: { kind: 'DIRECT', path: 'nope' } }],
    };
    const expected = [
      {
        field: 'config.paymentGateways[0].paymentMethod',
        message: expect.stringContaining('sandbox has no paymentMethod'),
      },
      { field: 'config.fields[0].source.path', message: "'nope' is not a field of the Shopify order" },
    ];
    const gql = await graphql(SAVE, { shop: TEST_SHOP, config });
    expect(gql.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', fieldErrors: expected });

    const res = await rest()
      .post(`/admin/shops/${TEST_SHOP}/mapping/versions`)
      .send({ config: { ...config, fields: [{ target: 'memo', source: { kind: 'direct', path: 'nope' } }] } });
    expect(res.status).toBe(400);
    expect(res.body.fieldErrors).toEqual(expected);
    expect(versions.versions).toHaveLength(2);
  });

  it('answers a malformed input with its field path too', async () => {
    const gql = await graphql(SAVE, {
      shop: TEST_SHOP,
      config: { taxes: [{ shopifyTitle: 'VAT', taxCode: 'x'.repeat(301) }] },
    });
    expect(gql.body.errors[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fieldErrors: [{ field: 'config.taxes[0].taxCode', message: 'must be shorter than or equal to 300 characters' }],
    });
    const res = await rest()
      .post(`/admin/shops/${TEST_SHOP}/mapping/versions`)
      .send({ config: { taxes: [{ shopifyTitle: 'VAT' }] } });
    expect(res.status).toBe(400);
    expect(res.body.fieldErrors).toContainEqual({
      field: 'config.taxes[0].taxCode',
      message: 'must be a string',
    });
  });

  it('lists, reads and activates versions over REST; a roll back is an activation', async () => {
    const draft = await rest()
      .post(`/admin/shops/${TEST_SHOP}/mapping/versions`)
      .send({ config: { shippingMethods: [{ shopifyCode: '*', shipMethod: 'FEDEX' }] } });
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({ version: 3, active: false });
    expect((await rest().get(`/admin/shops/${TEST_SHOP}/mapping`)).body.version).toBe(2);
    expect((await rest().post(`/admin/shops/${TEST_SHOP}/mapping/versions/3/activate`)).body).toMatchObject({
      version: 3,
      active: true,
    });
    expect((await rest().post(`/admin/shops/${TEST_SHOP}/mapping/versions/9/activate`)).status).toBe(404);
    expect((await rest().post(`/admin/shops/${TEST_SHOP}/mapping/versions/1/activate`)).status).toBe(200);
    const page = await rest().get(`/admin/shops/${TEST_SHOP}/mapping/versions?first=2`);
    expect(page.body.items.map((v: { version: number; active: boolean }) => [v.version, v.active])).toEqual([
      [3, false],
      [2, false],
    ]);
    const next = await rest().get(`/admin/shops/${TEST_SHOP}/mapping/versions?first=2&after=${page.body.nextCursor}`);
    expect(next.body.items.map((v: { version: number; active: boolean }) => [v.version, v.active])).toEqual([
      [1, true],
    ]);
    expect((await rest().get(`/admin/shops/other.myshopify.com/mapping`)).status).toBe(404);
  });

  it('rolls back to a version that has been active (GraphQL and REST); a draft is refused with its field', async () => {
    // Activations so far: 1, 2, 3, 1. Version 4 is a draft.
    const draft = await rest()
      .post(`/admin/shops/${TEST_SHOP}/mapping/versions`)
      .send({ config: { shippingMethods: [{ shopifyCode: '*', shipMethod: 'UPS' }] } });
    expect(draft.body).toMatchObject({ version: 4, active: false });
    const ROLLBACK =
      'mutation R($shop: String!, $version: Int) { rollbackOrderMapping(shop: $shop, version: $version) { version active } }';
    // No version: the one active before the current (3).
    const back = await graphql(ROLLBACK, { shop: TEST_SHOP });
    expect(back.body.data.rollbackOrderMapping).toEqual({ version: 3, active: true });
    const refused = await graphql(ROLLBACK, { shop: TEST_SHOP, version: 4 });
    expect(refused.body.errors[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fieldErrors: [{ field: 'version', message: expect.stringContaining('activateOrderMapping (admin)') }],
    });
    const viaRest = await rest().post(`/admin/shops/${TEST_SHOP}/mapping/rollback`).send({ version: 2 });
    expect(viaRest.status).toBe(200);
    expect(viaRest.body).toMatchObject({ version: 2, active: true });
    // Already active: nothing changes, the answer is the same (a retried call is harmless).
    expect((await rest().post(`/admin/shops/${TEST_SHOP}/mapping/rollback`).send({ version: 2 })).status).toBe(200);
    const draftRest = await rest().post(`/admin/shops/${TEST_SHOP}/mapping/rollback`).send({ version: 4 });
    expect(draftRest.status).toBe(400);
    expect(draftRest.body.fieldErrors).toEqual([{ field: 'version', message: expect.any(String) }]);
    expect((await rest().post(`/admin/shops/${TEST_SHOP}/mapping/rollback`).send({ version: 99 })).status).toBe(404);
    expect(versions.activations).toEqual([1, 2, 3, 1, 3, 2]);
  });

  it('reads and changes the source-of-truth policy, refusing an owner a field cannot have', async () => {
    const set = await rest()
      .put(`/admin/shops/${TEST_SHOP}/ownership-policy`)
      .send({ rules: [{ entity: 'inventory', field: 'quantity', owner: 'shopify' }] });
    expect(set.status).toBe(200);
    expect(set.body.rules).toContainEqual({ entity: 'inventory', field: 'quantity', owner: 'shopify' });
    const gql = await graphql(
      'mutation($shop: String!) { setOwnershipPolicy(shop: $shop, rules: [{ entity: PRODUCT, field: "images", owner: ERP }]) { shop } }',
      { shop: TEST_SHOP },
    );
    expect(gql.body.errors[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fieldErrors: [{ field: 'rules[0].owner', message: 'product.images can only be owned by shopify' }],
    });
    const read = await graphql(
      'query($shop: String!) { ownershipPolicy(shop: $shop) { rules { entity field owner } } }',
      {
        shop: TEST_SHOP,
      },
    );
    expect(read.body.data.ownershipPolicy.rules).toContainEqual({
      entity: 'INVENTORY',
      field: 'quantity',
      owner: 'SHOPIFY',
    });
  });
});
