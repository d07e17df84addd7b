import { Args, ArgsType, Field, Mutation, Resolver } from '@nestjs/graphql';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { AdminRole } from 'src/common/auth/admin-role';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { GraphqlClientError } from 'src/common/graphql/graphql-client-error';
import { GraphqlValidationPipe } from 'src/common/graphql/graphql-validation.pipe';
import { ResyncProduct } from 'src/modules/products/application/resync-product.use-case';
import { ProductResyncRequest } from 'src/modules/products/transport/models/product-resync-request.model';

@ArgsType()
export class ResyncProductArgs {
  @Field({ description: 'The shop’s myshopify domain.' })
  @IsString()
  @MaxLength(255)
  shop!: string;

  @Field({ description: 'The SKU (variant) to write again from the ERP.' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  sku!: string;
}

/** Operators re-sync one SKU from the ERP to Shopify (operator role; the scheduler's product sync writes it). */
@Resolver(() => ProductResyncRequest)
export class ProductResyncResolver {
  constructor(private readonly resync: ResyncProduct) {}

  @Mutation(() => ProductResyncRequest, {
    description:
      'Writes one SKU again from the ERP to Shopify: every ERP-owned field (price, compare-at, cost, barcode), on ' +
      'the next product sync run, queued now. Shopify-owned fields are never written.',
  })
  @RequireRole(AdminRole.Operator)
  async resyncProduct(@Args(new GraphqlValidationPipe()) args: ResyncProductArgs): Promise<ProductResyncRequest> {
    const result = await this.resync.execute(args);
    switch (result.outcome) {
      case 'queued':
        return result;
      case 'unknown_shop':
        throw new GraphqlClientError('unknown shop', 'NOT_FOUND');
      case 'unknown_sku':
        throw new GraphqlClientError('the ERP has not sent this SKU', 'NOT_FOUND');
    }
  }
}
