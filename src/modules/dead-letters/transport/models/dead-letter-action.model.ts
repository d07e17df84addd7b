import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { DeadLetterAction, PayloadChange } from 'src/modules/dead-letters/domain/dead-letter-action';
import { DeadLetter } from 'src/modules/dead-letters/transport/models/dead-letter.model';

/** JSON text of a recorded value, or null when the path had none on that side. */
function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

@ObjectType({ description: 'One changed path of an edited payload.' })
@ApiSchema({ name: 'PayloadChange' })
export class PayloadChangeModel {
  @Field({ description: 'As the decoder names it: line_items[0].sku.' })
  @ApiProperty({ example: 'line_items[0].sku' })
  path!: string;

  @Field({ description: 'added, removed or changed.' })
  @ApiProperty({ enum: ['added', 'removed', 'changed'] })
  change!: string;

  @Field(() => String, { nullable: true, description: 'JSON of the value before; "[redacted]" for sensitive paths.' })
  @ApiProperty({ type: String, nullable: true, example: '"NO-SUCH-SKU"' })
  before!: string | null;

  @Field(() => String, { nullable: true, description: 'JSON of the value after; "[redacted]" for sensitive paths.' })
  @ApiProperty({ type: String, nullable: true, example: '"ABC-1"' })
  after!: string | null;

  static of(change: PayloadChange): PayloadChangeModel {
    return { path: change.path, change: change.change, before: json(change.before), after: json(change.after) };
  }
}

@ObjectType({ description: "An entry of a dead letter's trail: who did what, when." })
@ApiSchema({ name: 'DeadLetterAction' })
export class DeadLetterActionModel {
  @Field(() => ID)
  @ApiProperty({ example: '7' })
  id!: string;

  @Field({ description: 'retried, edited_and_retried, discarded or republish_failed.' })
  @ApiProperty({ enum: ['retried', 'edited_and_retried', 'discarded', 'republish_failed'] })
  action!: string;

  @Field({ description: 'The API key that acted.' })
  @ApiProperty({ example: 'api-key:ops (#7)' })
  actor!: string;

  @Field(() => String, { nullable: true })
  @ApiProperty({ type: String, nullable: true })
  note!: string | null;

  @Field(() => [PayloadChangeModel], { description: 'What an edit changed (empty for other actions).' })
  @ApiProperty({ type: [PayloadChangeModel] })
  changes!: PayloadChangeModel[];

  @Field()
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  static of(action: DeadLetterAction): DeadLetterActionModel {
    return {
      id: action.id,
      action: action.action,
      actor: action.actor,
      note: action.note,
      changes: (action.changes ?? []).map((c) => PayloadChangeModel.of(c)),
      createdAt: action.createdAt,
    };
  }
}

@ObjectType({ description: 'A dead letter sent again with an edited payload, and what the edit changed.' })
@ApiSchema({ name: 'EditedDeadLetter' })
export class EditedDeadLetter {
  @Field(() => DeadLetter)
  @ApiProperty({ type: DeadLetter })
  deadLetter!: DeadLetter;

  @Field(() => [PayloadChangeModel])
  @ApiProperty({ type: [PayloadChangeModel] })
  changes!: PayloadChangeModel[];
}
