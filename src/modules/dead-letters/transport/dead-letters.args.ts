import { ArgsType, Field } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageArgs } from 'src/common/graphql/page-args';
import { DeadLetterStatusValue } from 'src/modules/dead-letters/transport/dead-letter-status.enum';

@ArgsType()
export class DeadLettersArgs extends PageArgs {
  @Field(() => DeadLetterStatusValue, { defaultValue: DeadLetterStatusValue.DEAD })
  @IsEnum(DeadLetterStatusValue)
  status!: DeadLetterStatusValue;

  @Field(() => String, {
    nullable: true,
    description: "Only this shop's (myshopify domain); a key limited to some shops sees only theirs.",
  })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  shop?: string | null;
}
