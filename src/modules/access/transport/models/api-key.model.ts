import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { AdminRole } from 'src/common/auth/admin-role';
import type { ApiKeyRecord } from 'src/modules/access/domain/api-key.types';
import { AdminRoleValue } from 'src/modules/access/transport/admin-role-value.enum';

/** A stored admin API key as both admin APIs show it (GraphQL `ApiKey`, REST `ApiKeyDto`): never the key itself. */
@ObjectType({ description: 'An admin API key: its role and shops. The key itself is shown only when created.' })
@ApiSchema({ name: 'ApiKeyDto' })
export class ApiKey {
  @Field(() => ID)
  @ApiProperty({ example: '7' })
  id!: string;

  @Field()
  @ApiProperty({ example: 'support desk (read only)' })
  name!: string;

  @Field(() => AdminRoleValue)
  @ApiProperty({ enum: AdminRoleValue, enumName: 'AdminRole' })
  role!: AdminRole;

  @Field(() => [String], { nullable: true, description: 'The shops the key is limited to; null: every shop.' })
  @ApiProperty({ type: [String], nullable: true, example: ['example.myshopify.com'] })
  shops!: string[] | null;

  @Field({ description: "The key's first characters, to tell keys apart." })
  @ApiProperty({ example: 'esk_Ab3dEf9h' })
  prefix!: string;

  @Field()
  @ApiProperty({ example: 'ADMIN_API_KEYS' })
  createdBy!: string;

  @Field()
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'Last use, to the minute.' })
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revokedAt!: Date | null;

  static fromRecord(record: ApiKeyRecord): ApiKey {
    return Object.assign(new ApiKey(), {
      id: record.id,
      name: record.name,
      role: record.role,
      shops: record.shops === null ? null : [...record.shops],
      prefix: record.prefix,
      createdBy: record.createdBy,
      createdAt: record.createdAt,
      lastUsedAt: record.lastUsedAt,
      revokedAt: record.revokedAt,
    });
  }
}
