import { ArgsType, Field } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { FlowValue } from 'src/modules/flows/transport/flow-name.enum';

@ArgsType()
export class FlowsArgs {
  @Field({ description: 'The shop’s myshopify domain, e.g. example.myshopify.com.' })
  @IsString()
  @MaxLength(255)
  shop!: string;
}

@ArgsType()
export class FlowArgs extends FlowsArgs {
  @Field(() => FlowValue)
  @IsEnum(FlowValue)
  flow!: FlowValue;
}

@ArgsType()
export class PauseFlowArgs extends FlowArgs {
  @Field(() => String, { nullable: true, description: 'Why, for the other operators (up to 500 characters).' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string | null;
}
