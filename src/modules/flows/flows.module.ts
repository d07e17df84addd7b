import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { FlowPauses } from 'src/modules/flows/application/flow-pauses.service';
import { FLOW_QUEUES, FlowSchedulesReader } from 'src/modules/flows/application/flow-schedules.reader';
import { FlowShops } from 'src/modules/flows/application/flow-shops';
import { ListFlows } from 'src/modules/flows/application/list-flows.query';
import { SetFlowPaused } from 'src/modules/flows/application/pause-flow.use-case';
import { FlowPauseRepository } from 'src/modules/flows/persistence/flow-pause.repository';
import { FlowsController } from 'src/modules/flows/transport/flows.controller';
import { FlowsResolver } from 'src/modules/flows/transport/flows.resolver';
import { ShopsModule } from 'src/modules/shops';

/**
 * The paused flows (`flow_pause`), for the modules that run flows (worker and scheduler roles): they ask
 * `FlowPauses` before consuming or running a shop's flow.
 */
@Module({ providers: [FlowPauseRepository, FlowPauses], exports: [FlowPauses] })
export class FlowsModule {}

/** The operators' flow API (api role): GraphQL `flows`/`pauseFlow`/`resumeFlow`, REST `/admin/shops/{shop}/flows`. */
@Module({
  imports: [FlowsModule, ShopsModule, ...FLOW_QUEUES.map((name) => BullModule.registerQueue({ name }))],
  providers: [FlowPauseRepository, FlowShops, FlowSchedulesReader, ListFlows, SetFlowPaused, FlowsResolver],
  controllers: [FlowsController],
})
export class FlowsAdminModule {}
