#!/usr/bin/env node
// `npx mlops`: loads the TypeScript sources as the npm scripts do, then runs the command line.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('../../tooling/register-ts.js');
const { runMlops } = require('./main.ts');

// A bar on the terminal only: a pipe or a log file gets the summary alone.
const BAR_WIDTH = 30;
function progressBar(done, total) {
  const filled = Math.round((done / total) * BAR_WIDTH);
  process.stderr.write(
    `\r[${'#'.repeat(filled)}${' '.repeat(BAR_WIDTH - filled)}] ${done}/${total}`,
  );
  if (done === total) process.stderr.write('\n');
}

runMlops(process.argv, process.env, {
  out: console.log,
  err: console.error,
  ...(process.stderr.isTTY ? { progress: progressBar } : {}),
}).then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
