import { Body } from '@nestjs/common';
import { BearerController, Create, CurrentPrincipal, Read, type Principal } from '@ecomlog/auth';
import { PathParam, uuidParamRule } from '@ecomlog/http';
import { BrandsService, type BrandView } from './brands.service';
import { AddBrandProductDto, AuthoriseEnterpriseDto, CreateBrandDto } from './dto/brand.dto';

const BRAND_ID = uuidParamRule('brand');

@BearerController('v1/brands', { tag: 'brands' })
export class BrandsController {
  constructor(private readonly brands: BrandsService) {}

  @Create({ roles: ['commerce'], summary: 'Create a regional public brand (区域公共品牌)' })
  create(@Body() body: CreateBrandDto, @CurrentPrincipal() actor: Principal): Promise<BrandView> {
    return this.brands.create(body, actor);
  }

  @Read(':id', { summary: 'A brand with its authorised enterprises and product library' })
  get(@PathParam('id', BRAND_ID) id: string): Promise<BrandView> {
    return this.brands.get(id);
  }

  @Create(':id/authorisations', {
    roles: ['commerce'],
    summary: 'Authorise an enterprise of the brand region to use the brand',
  })
  authorise(
    @PathParam('id', BRAND_ID) id: string,
    @Body() body: AuthoriseEnterpriseDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<BrandView> {
    return this.brands.authorise(id, body, actor);
  }

  @Create(':id/products', {
    roles: ['commerce'],
    summary: 'Add a product of an authorised enterprise, with its traceability code',
  })
  addProduct(
    @PathParam('id', BRAND_ID) id: string,
    @Body() body: AddBrandProductDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<BrandView> {
    return this.brands.addProduct(id, body, actor);
  }
}
