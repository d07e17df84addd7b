import { describeConnectorPipeline } from 'test/e2e/connector-pipeline';

/** The order pipeline through the NetSuite connector, with the throttle storm (S3) and the slow ERP (S4). */
describeConnectorPipeline('netsuite', 5);
