import { Field, Float, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { FlowScheduleEntry, FlowState } from 'src/modules/flows/domain/flow';
import { FlowValue } from 'src/modules/flows/transport/flow-name.enum';

@ObjectType({ description: 'One repeatable job of a scheduled flow, as the scheduler registered it.' })
@ApiSchema({ name: 'FlowScheduleEntryDto' })
export class FlowScheduleEntryModel implements FlowScheduleEntry {
  @Field({ description: 'The job name.' })
  @ApiProperty({ example: 'reconcile-orders' })
  job!: string;

  @Field(() => String, { nullable: true, description: 'A cron pattern (UTC), or null for an interval.' })
  @ApiProperty({ type: String, nullable: true, example: '*/10 * * * *' })
  cron!: string | null;

  @Field(() => Float, { nullable: true, description: 'The interval in milliseconds, or null for a cron pattern.' })
  @ApiProperty({ type: Number, nullable: true, example: null })
  everyMs!: number | null;

  @Field(() => Date, { nullable: true })
  @ApiProperty({ type: Date, nullable: true })
  nextRunAt!: Date | null;
}

@ObjectType({ description: 'One flow of one shop: running or paused, and when it runs.' })
@ApiSchema({ name: 'FlowStateDto' })
export class FlowStateModel {
  @Field()
  @ApiProperty({ example: 'example.myshopify.com' })
  shop!: string;

  @Field(() => FlowValue)
  @ApiProperty({ enum: Object.values(FlowValue), example: 'orders' })
  flow!: FlowValue;

  @Field({ description: 'True: the flow keeps its messages and runs nothing for this shop until resumed.' })
  @ApiProperty()
  paused!: boolean;

  @Field(() => Date, { nullable: true })
  @ApiProperty({ type: Date, nullable: true })
  pausedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'The key that paused it.' })
  @ApiProperty({ type: String, nullable: true, example: 'api-key:night shift (#7)' })
  pausedBy!: string | null;

  @Field(() => String, { nullable: true })
  @ApiProperty({ type: String, nullable: true, example: 'ERP month-end close' })
  reason!: string | null;

  @Field({ description: '`continuous` (consumed as webhooks arrive) or `scheduled`.' })
  @ApiProperty({ enum: ['continuous', 'scheduled'] })
  trigger!: string;

  @Field(() => [FlowScheduleEntryModel], {
    description: 'The registered repeatable jobs of a scheduled flow; empty for a continuous one.',
  })
  @ApiProperty({ type: [FlowScheduleEntryModel] })
  schedule!: FlowScheduleEntryModel[];
}

export function toFlowStateModel(state: FlowState): FlowStateModel {
  return { ...state, flow: state.flow as string as FlowValue, schedule: state.schedule.map((s) => ({ ...s })) };
}
