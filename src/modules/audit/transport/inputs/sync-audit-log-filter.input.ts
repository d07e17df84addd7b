import { Field, InputType } from '@nestjs/graphql';
import { IsDate, IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { AuditStatus } from 'src/modules/audit/domain/audit.types';
import type { AuditLogFilter } from 'src/modules/audit/persistence/audit-log.repository';

/** Every field narrows the result; all are optional. `from` is inclusive, `to` exclusive. */
@InputType()
export class SyncAuditLogFilter {
  @Field({ nullable: true, description: "The shop's myshopify domain; a key limited to some shops sees only theirs." })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  shop?: string;

  @Field({ nullable: true, description: 'order, customer, product, inventory, fulfillment or webhook.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  entity?: string;

  @Field(() => AuditStatus, { nullable: true })
  @IsOptional()
  @IsEnum(AuditStatus)
  status?: AuditStatus;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  shopifyId?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  eventId?: string;

  @Field({ nullable: true, description: 'Rows created at or after this instant.' })
  @IsOptional()
  @IsDate()
  from?: Date;

  @Field({ nullable: true, description: 'Rows created before this instant.' })
  @IsOptional()
  @IsDate()
  to?: Date;

  /**
   * The repository filter but the shop, which the resolver sets from the caller's scope (`shopsToList`); an explicit
   * GraphQL `null` means "no filter" like an omitted field.
   */
  toFilter(): AuditLogFilter {
    return {
      entity: this.entity ?? undefined,
      status: this.status ?? undefined,
      shopifyId: this.shopifyId ?? undefined,
      eventId: this.eventId ?? undefined,
      from: this.from ?? undefined,
      to: this.to ?? undefined,
    };
  }
}
