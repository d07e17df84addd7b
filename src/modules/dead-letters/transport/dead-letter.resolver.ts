import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Caller } from 'src/common/auth/admin-caller';
import { AdminRole, shopsToList, type AdminCaller } from 'src/common/auth/admin-role';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { assertNever } from 'src/common/errors/app-error';
import { GraphqlClientError } from 'src/common/graphql/graphql-client-error';
import { GraphqlValidationPipe } from 'src/common/graphql/graphql-validation.pipe';
import { decodeCursor, toPage } from 'src/common/pagination/cursor';
import { RetryDeadLetter } from 'src/modules/dead-letters/application/retry-dead-letter.use-case';
import { toDeadLetterView } from 'src/modules/dead-letters/domain/dead-letter.view';
import { DeadLetterRepository } from 'src/modules/dead-letters/persistence/dead-letter.repository';
import { DeadLettersArgs } from 'src/modules/dead-letters/transport/dead-letters.args';
import { DeadLetterConnection } from 'src/modules/dead-letters/transport/models/dead-letter-connection.model';
import { DeadLetter } from 'src/modules/dead-letters/transport/models/dead-letter.model';

/** Dead letters for operators: list them, and send one back through the pipeline once its cause is fixed. */
@Resolver(() => DeadLetter)
export class DeadLetterResolver {
  constructor(
    private readonly repository: DeadLetterRepository,
    private readonly retry: RetryDeadLetter,
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
  ): Promise<DeadLetter> {
    const result = await this.retry.execute(id, shopsToList(caller));
    switch (result.outcome) {
      case 'retried':
        return toDeadLetterView(result.deadLetter);
      case 'not_found':
        throw new GraphqlClientError('dead letter not found', 'NOT_FOUND');
      case 'already_retried':
        throw new GraphqlClientError('dead letter was already retried', 'CONFLICT');
      default:
        return assertNever(result, 'unexpected retry outcome');
    }
  }
}
