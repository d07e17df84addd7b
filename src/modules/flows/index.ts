export { FLOW_PAUSES_MAX_AGE_MS, FlowPauses } from 'src/modules/flows/application/flow-pauses.service';
export { Flow, flowOfOrderTopic } from 'src/modules/flows/domain/flow';
export { FlowsAdminModule, FlowsModule } from 'src/modules/flows/flows.module';
