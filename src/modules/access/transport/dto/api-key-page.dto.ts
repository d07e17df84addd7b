import { ApiProperty } from '@nestjs/swagger';
import { ApiKey } from 'src/modules/access/transport/models/api-key.model';

export class ApiKeyPageDto {
  @ApiProperty({ type: [ApiKey] })
  items!: ApiKey[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `after` for the next page; null on the last.' })
  nextCursor!: string | null;
}
