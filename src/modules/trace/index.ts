export {
  TraceOrder,
  type TraceOrderInput,
  type TraceOrderOutcome,
} from 'src/modules/trace/application/trace-order.query';
export { TraceAdminModule } from 'src/modules/trace/trace.module';
