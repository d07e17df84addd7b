import { describeConnectorPipeline } from 'test/e2e/connector-pipeline';

/** The order pipeline through the Business Central connector (test/e2e/connector-pipeline.ts). */
describeConnectorPipeline('business-central', 10);
