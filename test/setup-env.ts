// The SDK prints a Node 20 end-of-support notice on every client; it is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
// Tests must never reach a real AWS account: fixed fake credentials and region.
process.env.AWS_ACCESS_KEY_ID = 'AKIDTESTTESTTESTTEST';
process.env.AWS_SECRET_ACCESS_KEY = 'test-secret';
process.env.AWS_REGION = 'eu-west-1';
process.env.POWERTOOLS_DEV = 'false';
// Handlers log through Powertools; tests assert on spies, not on stdout.
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_METRICS_NAMESPACE = 'MlopsControlPlaneTest';
