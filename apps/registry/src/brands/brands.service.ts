import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { AuditTrail } from '@ecomlog/platform';
import { ProblemException, assertNotInFuture } from '@ecomlog/http';
import { isUniqueViolation } from '@ecomlog/persistence';
import { assertActorRegion, type Actor } from '../enterprises/actor';
import { shanghaiDay } from '@ecomlog/kernel';
import { regionPrefixOf, requireDivision } from '../enterprises/division-rules';
import { Enterprise } from '../enterprises/enterprise.entity';
import { EnterpriseState } from '../enterprises/enterprise-state';
import { Brand, BrandAuthorisation, BrandProduct } from './brand.entity';
import type { AddBrandProductDto, AuthoriseEnterpriseDto, CreateBrandDto } from './dto/brand.dto';

/** 区域公共品牌 with its authorised enterprises and its product library. */
export interface BrandView {
  id: string;
  name: string;
  divisionCode: string;
  description: string | null;
  authorisedEnterprises: {
    enterpriseId: string;
    enterpriseName: string;
    creditCode: string;
    authorisedOn: string;
  }[];
  products: { traceabilityCode: string; name: string; enterpriseId: string }[];
  version: number;
  changedAt: string;
}

/**
 * Brands travel inside the enterprise events: an authorisation or a product changes the
 * authorised enterprise, which is republished (version + 1) in the same transaction.
 */
@Injectable()
export class BrandsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly enterprises: EnterpriseState,
    private readonly audit: AuditTrail,
  ) {}

  async create(dto: CreateBrandDto, actor?: Actor): Promise<BrandView> {
    const name = dto.name.trim();
    assertActorRegion(actor, dto.divisionCode, `Brand ${name}`);
    try {
      return await this.dataSource.transaction(async (tx) => {
        const existing = await tx.findOne(Brand, { where: { name } });
        if (existing) throw brandNameTaken(name, existing.id);
        await requireDivision(tx, dto.divisionCode, 'divisionCode', { countyOrFiner: false });
        const brand = tx.create(Brand, {
          id: randomUUID(),
          name,
          divisionCode: dto.divisionCode,
          description: dto.description?.trim() || null,
          version: 1,
          changedAt: new Date(),
        });
        await tx.insert(Brand, brand);
        const view = await this.view(tx, brand);
        await this.audit.record(tx, {
          action: 'brand.created',
          entityType: 'brand',
          entityId: brand.id,
          after: view,
        });
        return view;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'brand_name_unique')) {
        const winner = await this.dataSource.getRepository(Brand).findOneBy({ name });
        if (winner) throw brandNameTaken(name, winner.id);
      }
      throw error;
    }
  }

  async get(id: string): Promise<BrandView> {
    const brand = await this.dataSource.getRepository(Brand).findOneBy({ id });
    if (!brand) throw brandNotFound(id);
    return this.view(this.dataSource.manager, brand);
  }

  /** Authorises an enterprise registered inside the brand's region to use the brand. */
  async authorise(id: string, dto: AuthoriseEnterpriseDto, actor?: Actor): Promise<BrandView> {
    const authorisedOn = dto.authorisedOn ?? shanghaiDay();
    assertNotInFuture('authorisedOn', authorisedOn);
    return this.dataSource.transaction(async (tx) => {
      const brand = await this.lockBrand(tx, id, actor);
      const enterprise = await this.lockReferencedEnterprise(tx, dto.enterpriseId);
      if (enterprise.status === 'deregistered') {
        throw new ProblemException(
          409,
          'enterprise-deregistered',
          'Enterprise deregistered',
          `Enterprise ${enterprise.id} ${enterprise.name} is deregistered (注销) and cannot be authorised.`,
        );
      }
      const region = regionPrefixOf(
        await requireDivision(tx, brand.divisionCode, 'brand divisionCode', {
          countyOrFiner: false,
        }),
      );
      if (!enterprise.registeredDivisionCode.startsWith(region)) {
        throw new ProblemException(
          422,
          'enterprise-outside-brand-region',
          'Enterprise outside the brand region',
          `Enterprise ${enterprise.name} is registered in ${enterprise.registeredDivisionCode}, outside ${brand.name}'s region ${brand.divisionCode}; a public brand is authorised to enterprises of its own region.`,
        );
      }
      const existing = await tx.findOne(BrandAuthorisation, {
        where: { brandId: id, enterpriseId: enterprise.id },
      });
      if (existing) {
        throw new ProblemException(
          409,
          'already-authorised',
          'Already authorised',
          `Enterprise ${enterprise.id} has been authorised to use ${brand.name} since ${existing.authorisedOn}.`,
        );
      }
      const now = new Date();
      await tx.insert(BrandAuthorisation, {
        brandId: id,
        enterpriseId: enterprise.id,
        authorisedOn,
        recordedAt: now,
      });
      await this.bump(tx, brand, now);
      await this.enterprises.commit(tx, enterprise, now);
      return this.view(tx, brand);
    });
  }

  /** Adds a product of an authorised enterprise to the brand library. */
  async addProduct(id: string, dto: AddBrandProductDto, actor?: Actor): Promise<BrandView> {
    return this.dataSource.transaction(async (tx) => {
      const brand = await this.lockBrand(tx, id, actor);
      const enterprise = await this.lockReferencedEnterprise(tx, dto.enterpriseId);
      const authorised = await tx.exists(BrandAuthorisation, {
        where: { brandId: id, enterpriseId: enterprise.id },
      });
      if (!authorised) {
        throw new ProblemException(
          422,
          'enterprise-not-authorised',
          'Enterprise not authorised for this brand',
          `Enterprise ${enterprise.id} ${enterprise.name} is not authorised to use ${brand.name}; authorise it first with POST /v1/brands/${id}/authorisations.`,
        );
      }
      const taken = await tx.findOne(BrandProduct, {
        where: { traceabilityCode: dto.traceabilityCode },
      });
      if (taken) {
        throw new ProblemException(
          409,
          'traceability-code-taken',
          'Traceability code already used',
          `Traceability code ${dto.traceabilityCode} already identifies "${taken.name}" of enterprise ${taken.enterpriseId} in brand ${taken.brandId}; every product needs its own code.`,
          { brandId: taken.brandId, enterpriseId: taken.enterpriseId },
        );
      }
      const now = new Date();
      await tx.insert(BrandProduct, {
        traceabilityCode: dto.traceabilityCode,
        brandId: id,
        enterpriseId: enterprise.id,
        name: dto.name.trim(),
        recordedAt: now,
      });
      await this.bump(tx, brand, now);
      await this.enterprises.commit(tx, enterprise, now);
      return this.view(tx, brand);
    });
  }

  private async lockBrand(tx: EntityManager, id: string, actor?: Actor): Promise<Brand> {
    const brand = await tx.findOne(Brand, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!brand) throw brandNotFound(id);
    assertActorRegion(actor, brand.divisionCode, `Brand ${brand.name}`);
    return brand;
  }

  /** An enterprise named in a request body: missing is the body's fault (422), not a 404. */
  private async lockReferencedEnterprise(tx: EntityManager, id: string): Promise<Enterprise> {
    if (!(await tx.exists(Enterprise, { where: { id } }))) {
      throw new ProblemException(
        422,
        'enterprise-not-found',
        'Referenced enterprise missing',
        `enterpriseId: no enterprise with id ${id}.`,
      );
    }
    return this.enterprises.lock(tx, id);
  }

  private async bump(tx: EntityManager, brand: Brand, now: Date): Promise<void> {
    brand.version += 1;
    brand.changedAt = now;
    await tx.save(Brand, brand);
  }

  private async view(manager: EntityManager, brand: Brand): Promise<BrandView> {
    const authorisations = await manager.find(BrandAuthorisation, {
      where: { brandId: brand.id },
      order: { authorisedOn: 'ASC', enterpriseId: 'ASC' },
    });
    const products = await manager.find(BrandProduct, {
      where: { brandId: brand.id },
      order: { traceabilityCode: 'ASC' },
    });
    const enterprises = authorisations.length
      ? await manager.find(Enterprise, {
          where: { id: In(authorisations.map((authorisation) => authorisation.enterpriseId)) },
        })
      : [];
    const enterpriseById = new Map(enterprises.map((enterprise) => [enterprise.id, enterprise]));
    return {
      id: brand.id,
      name: brand.name,
      divisionCode: brand.divisionCode,
      description: brand.description,
      authorisedEnterprises: authorisations.map((authorisation) => {
        const enterprise = enterpriseById.get(authorisation.enterpriseId);
        return {
          enterpriseId: authorisation.enterpriseId,
          enterpriseName: enterprise?.name ?? '',
          creditCode: enterprise?.creditCode ?? '',
          authorisedOn: authorisation.authorisedOn,
        };
      }),
      products: products.map((product) => ({
        traceabilityCode: product.traceabilityCode,
        name: product.name,
        enterpriseId: product.enterpriseId,
      })),
      version: brand.version,
      changedAt: brand.changedAt.toISOString(),
    };
  }
}

function brandNotFound(id: string): ProblemException {
  return new ProblemException(404, 'brand-not-found', 'Brand not found', `No brand with id ${id}.`);
}

function brandNameTaken(name: string, existingId: string): ProblemException {
  return new ProblemException(
    409,
    'brand-name-taken',
    'Brand name already registered',
    `A public brand named ${name} already exists as brand ${existingId}.`,
    { existingBrandId: existingId },
  );
}
