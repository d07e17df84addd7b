export { ErpChangeReadsModule, ErpPushModule } from 'src/modules/erp/erp-changes.module';
export { ERP_WRITE_GATE } from 'src/modules/erp/erp.constants';
export { ErpModule } from 'src/modules/erp/erp.module';
export { ErpError, ErpErrorKind } from 'src/modules/erp/port/erp-error';
export { ERP_PORT, type ErpPort } from 'src/modules/erp/port/erp.port';
export type * from 'src/modules/erp/port/erp.types';
export { ErpMessageRunner, type MessageContext } from 'src/modules/erp/writer/erp-message-runner';
export type { ErpWriteGate } from 'src/modules/erp/writer/erp-write-gate';
