import { Controller, HttpCode, HttpStatus, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNotFoundResponse, ApiOperation } from '@nestjs/swagger';
import { AdminApi } from 'src/common/auth/admin-api.decorator';
import { AdminRole } from 'src/common/auth/admin-role';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { ResyncProduct } from 'src/modules/products/application/resync-product.use-case';
import { ProductResyncRequest } from 'src/modules/products/transport/models/product-resync-request.model';

/** The same SKU re-sync as the GraphQL API (`resyncProduct`), for operators in Swagger. */
@AdminApi('replay', "The key's role or shops do not allow this (operator).")
@Controller('admin/shops/:shop/products')
export class ProductResyncController {
  constructor(private readonly resync: ResyncProduct) {}

  @Post(':sku/resync')
  @HttpCode(HttpStatus.ACCEPTED)
  @RequireRole(AdminRole.Operator)
  @ApiOperation({
    summary: 'Write one SKU again from the ERP to Shopify',
    description: 'Every ERP-owned field (price, compare-at, cost, barcode) on the next product sync run, queued now.',
  })
  @ApiAcceptedResponse({ type: ProductResyncRequest })
  @ApiNotFoundResponse({ description: 'Unknown shop, or a SKU the ERP has not sent.' })
  async resyncSku(@Param('shop') shop: string, @Param('sku') sku: string): Promise<ProductResyncRequest> {
    const result = await this.resync.execute({ shop, sku });
    switch (result.outcome) {
      case 'queued':
        return result;
      case 'unknown_shop':
        throw new NotFoundException('unknown shop');
      case 'unknown_sku':
        throw new NotFoundException('the ERP has not sent this SKU');
    }
  }
}
