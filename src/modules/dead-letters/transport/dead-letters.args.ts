import { ArgsType, Field } from '@nestjs/graphql';
import { IsEnum } from 'class-validator';
import { PageArgs } from 'src/common/graphql/page-args';
import { DeadLetterStatusValue } from 'src/modules/dead-letters/transport/dead-letter-status.enum';

@ArgsType()
export class DeadLettersArgs extends PageArgs {
  @Field(() => DeadLetterStatusValue, { defaultValue: DeadLetterStatusValue.DEAD })
  @IsEnum(DeadLetterStatusValue)
  status!: DeadLetterStatusValue;
}
