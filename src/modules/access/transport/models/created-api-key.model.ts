import { Field, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ApiKey } from 'src/modules/access/transport/models/api-key.model';

/** The answer to creating a key: the only time the key itself is shown. */
@ObjectType({ description: 'A new key. `key` is shown this once and stored only as a hash: keep it now.' })
@ApiSchema({ name: 'CreatedApiKeyDto' })
export class CreatedApiKey {
  @Field(() => ApiKey)
  @ApiProperty({ type: ApiKey })
  apiKey!: ApiKey;

  @Field({ description: 'The bearer key (Authorization: Bearer <key>); never shown again.' })
  @ApiProperty({ example: 'esk_Ab3dEf9h…' })
  key!: string;
}
