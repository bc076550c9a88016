// Imported first by every local-mode command, before any SDK client exists: the SDK prints a
// notice that it will need Node 22 from 2027 on the first client it builds, and local mode runs
// on Node 20 on purpose (see package.json engines). The functions' workers get the same variable.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
