import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ecomlog/auth';
import { PathParam, uuidParamRule } from '@ecomlog/http';
import { BrandsService, type BrandView } from './brands.service';
import { AddBrandProductDto, AuthoriseEnterpriseDto, CreateBrandDto } from './dto/brand.dto';

const BRAND_ID = uuidParamRule('brand');

@ApiTags('brands')
@ApiBearerAuth()
@Controller('v1/brands')
export class BrandsController {
  constructor(private readonly brands: BrandsService) {}

  @Post()
  @Roles('commerce')
  @ApiOperation({ summary: 'Create a regional public brand (区域公共品牌)' })
  create(@Body() body: CreateBrandDto, @CurrentPrincipal() actor: Principal): Promise<BrandView> {
    return this.brands.create(body, actor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A brand with its authorised enterprises and product library' })
  get(@PathParam('id', BRAND_ID) id: string): Promise<BrandView> {
    return this.brands.get(id);
  }

  @Post(':id/authorisations')
  @Roles('commerce')
  @ApiOperation({ summary: 'Authorise an enterprise of the brand region to use the brand' })
  authorise(
    @PathParam('id', BRAND_ID) id: string,
    @Body() body: AuthoriseEnterpriseDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<BrandView> {
    return this.brands.authorise(id, body, actor);
  }

  @Post(':id/products')
  @Roles('commerce')
  @ApiOperation({
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
