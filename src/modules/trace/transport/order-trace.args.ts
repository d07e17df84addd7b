import { ArgsType, Field } from '@nestjs/graphql';
import { IsOptional, IsString, MaxLength } from 'class-validator';

@ArgsType()
export class OrderTraceArgs {
  @Field({ description: 'The shop’s myshopify domain, e.g. example.myshopify.com.' })
  @IsString()
  @MaxLength(255)
  shop!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The Shopify order id, numeric (5612345678901) or its GID (gid://shopify/Order/5612345678901).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  orderId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Instead of orderId: the X-Shopify-Webhook-Id of a webhook about the order.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  webhookId?: string | null;
}
