import { ApiProperty } from '@nestjs/swagger';
import { DeadLetter } from 'src/modules/dead-letters/transport/models/dead-letter.model';

export class DeadLetterPageDto {
  @ApiProperty({ type: [DeadLetter] })
  items!: DeadLetter[];

  @ApiProperty({ description: 'How many dead letters have this status in all.' })
  total!: number;

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `after` for the next page; null on the last.' })
  nextCursor!: string | null;
}
