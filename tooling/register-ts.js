// Lets plain `node` (the Serverless plugin, npm scripts) load the project's TypeScript sources, so
// that configuration schemas and checkers exist once, in TypeScript, and are not re-written in JS.
// esbuild is already a dependency for bundling; its transform is fast enough to run on every load.
const { transformSync } = require('esbuild');
const fs = require('node:fs');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    loader: 'ts',
    format: 'cjs',
    target: 'node20',
    sourcefile: filename,
    sourcemap: 'inline',
  });
  module._compile(code, filename);
};
