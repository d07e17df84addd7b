import { describeConnectorPipeline } from 'test/e2e/connector-pipeline';

/** The order pipeline through the Cin7 Core connector (test/e2e/connector-pipeline.ts). */
describeConnectorPipeline('cin7', 12);
