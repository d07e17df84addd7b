import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Caller } from 'src/common/auth/admin-caller';
import { AdminRole, shopsToList, type AdminCaller } from 'src/common/auth/admin-role';
import { Actor } from 'src/common/auth/request-actor';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { assertNever } from 'src/common/errors/app-error';
import { GraphqlClientError } from 'src/common/graphql/graphql-client-error';
import { GraphqlValidationPipe } from 'src/common/graphql/graphql-validation.pipe';
import { decodeCursor, toPage } from 'src/common/pagination/cursor';
import { BulkDiscardDeadLetters } from 'src/modules/dead-letters/application/bulk-discard-dead-letters.use-case';
import { BulkRetryDeadLetters } from 'src/modules/dead-letters/application/bulk-retry-dead-letters.use-case';
import { EditAndRetryDeadLetter } from 'src/modules/dead-letters/application/edit-and-retry-dead-letter.use-case';
import { ReadDeadLetterActions } from 'src/modules/dead-letters/application/read-dead-letter-actions.query';
import { RetryDeadLetter } from 'src/modules/dead-letters/application/retry-dead-letter.use-case';
import { toDeadLetterView } from 'src/modules/dead-letters/domain/dead-letter.view';
import { DeadLetterRepository } from 'src/modules/dead-letters/persistence/dead-letter.repository';
import { DeadLettersArgs } from 'src/modules/dead-letters/transport/dead-letters.args';
import {
  BulkDiscardDeadLettersArgs,
  BulkRetryDeadLettersArgs,
} from 'src/modules/dead-letters/transport/inputs/bulk-dead-letters.args';
import { BulkDeadLetterResult } from 'src/modules/dead-letters/transport/models/bulk-dead-letter-result.model';
import {
  DeadLetterActionModel,
  EditedDeadLetter,
  PayloadChangeModel,
} from 'src/modules/dead-letters/transport/models/dead-letter-action.model';
import { DeadLetterConnection } from 'src/modules/dead-letters/transport/models/dead-letter-connection.model';
import { DeadLetter } from 'src/modules/dead-letters/transport/models/dead-letter.model';
import {
  toDeadLetterSelection,
  UNFOCUSED_FILTER_MESSAGE,
} from 'src/modules/dead-letters/transport/to-dead-letter-selection';

/** The largest edited payload (the webhook ingest's body limit). */
const MAX_PAYLOAD_CHARS = 2 * 1024 * 1024;

/** Dead letters for operators: list them, and send one back through the pipeline once its cause is fixed. */
@Resolver(() => DeadLetter)
export class DeadLetterResolver {
  constructor(
    private readonly repository: DeadLetterRepository,
    private readonly retry: RetryDeadLetter,
    private readonly bulkRetry: BulkRetryDeadLetters,
    private readonly bulkDiscard: BulkDiscardDeadLetters,
    private readonly editAndRetry: EditAndRetryDeadLetter,
    private readonly actions: ReadDeadLetterActions,
  ) {}

  @Query(() => DeadLetterConnection, {
    description: "Dead letters, newest first, cursor-paginated; only the key's shops for a key limited to some.",
  })
  @RequireRole(AdminRole.Viewer)
  async deadLetters(
    @Args(new GraphqlValidationPipe()) args: DeadLettersArgs,
    @Caller() caller: AdminCaller,
  ): Promise<DeadLetterConnection> {
    const after = args.after === undefined || args.after === null ? undefined : decodeCursor(args.after);
    if (after === null) {
      throw new GraphqlClientError('after is not a cursor returned by this API', 'BAD_USER_INPUT');
    }
    const filter = { status: args.status, shops: shopsToList(caller, args.shop) };
    const rows = await this.repository.list(filter, args.first + 1, after);
    return DeadLetterConnection.fromPage(toPage(rows, args.first));
  }

  @Mutation(() => DeadLetter, { description: 'Sends a DEAD dead letter back through the pipeline, once.' })
  @RequireRole(AdminRole.Operator)
  async retryDeadLetter(
    @Args('id', { type: () => ID }) id: string,
    @Caller() caller: AdminCaller,
    @Actor() actor: string,
  ): Promise<DeadLetter> {
    const result = await this.retry.execute(id, shopsToList(caller), actor);
    switch (result.outcome) {
      case 'retried':
        return toDeadLetterView(result.deadLetter);
      case 'not_found':
        throw new GraphqlClientError('dead letter not found', 'NOT_FOUND');
      case 'already_retried':
        throw new GraphqlClientError('dead letter was already retried', 'CONFLICT');
      case 'discarded':
        throw new GraphqlClientError('dead letter was discarded', 'CONFLICT');
      default:
        return assertNever(result, 'unexpected retry outcome');
    }
  }

  @Mutation(() => BulkDeadLetterResult, {
    description:
      'Retries, once each, one bounded batch (oldest first, at most `limit`) of the dead letters the filter selects; hasMore says to call again.',
  })
  @RequireRole(AdminRole.Operator)
  async bulkRetryDeadLetters(
    @Args(new GraphqlValidationPipe()) args: BulkRetryDeadLettersArgs,
    @Caller() caller: AdminCaller,
    @Actor() actor: string,
  ): Promise<BulkDeadLetterResult> {
    const result = await this.bulkRetry.execute(toDeadLetterSelection(args.filter, caller), args.limit, actor);
    if (result.outcome === 'unfocused') {
      throw new GraphqlClientError(UNFOCUSED_FILTER_MESSAGE, 'BAD_USER_INPUT');
    }
    return BulkDeadLetterResult.of('retry', result.report);
  }

  @Mutation(() => BulkDeadLetterResult, {
    description:
      'Discards one bounded batch of the dead letters the filter selects: each stays stored, DISCARDED, with who and when.',
  })
  @RequireRole(AdminRole.Operator)
  async bulkDiscardDeadLetters(
    @Args(new GraphqlValidationPipe()) args: BulkDiscardDeadLettersArgs,
    @Caller() caller: AdminCaller,
    @Actor() actor: string,
  ): Promise<BulkDeadLetterResult> {
    const selection = toDeadLetterSelection(args.filter, caller);
    const result = await this.bulkDiscard.execute(selection, args.limit, actor, args.note ?? undefined);
    if (result.outcome === 'unfocused') {
      throw new GraphqlClientError(UNFOCUSED_FILTER_MESSAGE, 'BAD_USER_INPUT');
    }
    return BulkDeadLetterResult.of('discard', result.report);
  }

  @Mutation(() => EditedDeadLetter, {
    description:
      'Sends a DEAD dead letter again, once, with an edited payload (JSON text), decoded first as its consumer decodes it: one that would fail is refused and nothing changes.',
  })
  @RequireRole(AdminRole.Operator)
  async editAndRetryDeadLetter(
    @Args('id', { type: () => ID }) id: string,
    @Args('payload', { description: 'The whole edited message body, as JSON text.' }) payload: string,
    @Caller() caller: AdminCaller,
    @Actor() actor: string,
  ): Promise<EditedDeadLetter> {
    if (payload.length > MAX_PAYLOAD_CHARS) {
      throw new GraphqlClientError('payload is too large', 'BAD_USER_INPUT', [
        { field: 'payload', message: `must be at most ${MAX_PAYLOAD_CHARS} characters` },
      ]);
    }
    const result = await this.editAndRetry.execute({ id, payload, actor, shops: shopsToList(caller) });
    switch (result.outcome) {
      case 'retried':
        return {
          deadLetter: toDeadLetterView(result.deadLetter),
          changes: result.changes.map((c) => PayloadChangeModel.of(c)),
        };
      case 'invalid_payload':
        throw new GraphqlClientError(result.message, 'BAD_USER_INPUT', [{ field: 'payload', message: result.message }]);
      case 'unchanged':
        throw new GraphqlClientError('the edited payload is the stored one; use retryDeadLetter', 'BAD_USER_INPUT', [
          { field: 'payload', message: 'changes nothing' },
        ]);
      case 'not_found':
        throw new GraphqlClientError('dead letter not found', 'NOT_FOUND');
      case 'already_retried':
        throw new GraphqlClientError('dead letter was already retried', 'CONFLICT');
      case 'discarded':
        throw new GraphqlClientError('dead letter was discarded', 'CONFLICT');
      default:
        return assertNever(result, 'unexpected edit outcome');
    }
  }

  @Query(() => [DeadLetterActionModel], {
    description: "A dead letter's trail, oldest first: who retried, edited or discarded it, and what an edit changed.",
  })
  @RequireRole(AdminRole.Viewer)
  async deadLetterActions(
    @Args('id', { type: () => ID }) id: string,
    @Caller() caller: AdminCaller,
  ): Promise<DeadLetterActionModel[]> {
    const actions = await this.actions.execute(id, shopsToList(caller));
    if (actions === undefined) {
      throw new GraphqlClientError('dead letter not found', 'NOT_FOUND');
    }
    return actions.map((a) => DeadLetterActionModel.of(a));
  }
}
