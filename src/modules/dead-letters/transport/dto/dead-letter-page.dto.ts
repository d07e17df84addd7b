import { ApiProperty } from '@nestjs/swagger';
import { DeadLetterDto } from 'src/modules/dead-letters/transport/dto/dead-letter.dto';

export class DeadLetterPageDto {
  @ApiProperty({ type: [DeadLetterDto] })
  items!: DeadLetterDto[];

  @ApiProperty({ description: 'How many dead letters have this status in all.' })
  total!: number;

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `after` for the next page; null on the last.' })
  nextCursor!: string | null;
}
