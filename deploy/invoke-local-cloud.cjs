'use strict';

const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

// A local Serverless Framework plugin: `serverless invoke local -f <function> -p <event file>` (or -d '<json>')
// runs the function on the running local cloud (`npm start`), with the environment, resources and
// sandbox it has there, through `npm run invoke`'s own code (local/invoke.ts). Without it osls would run
// the handler in its own process and resolve the function's environment from the stack on AWS.
class InvokeLocalCloud {
  constructor(serverless, options) {
    this.hooks = {
      initialize: () => {
        const [command, subcommand] = serverless.processedInput.commands;
        if (command === 'invoke' && subcommand === 'local') invokeOnLocalCloud(serverless.serviceDir, options);
      },
    };
  }
}

function invokeOnLocalCloud(serviceDir, options) {
  if (!options.function) throw new Error('serverless invoke local needs --function (-f) <name>');
  const node = join(serviceDir, 'node_modules', '.bin', 'node'); // the pinned Node 24, which runs TypeScript
  const { status, error } = spawnSync(
    node,
    [join(serviceDir, 'local', 'invoke.ts'), options.function, options.path ?? '-'],
    {
      cwd: serviceDir,
      stdio: [options.path ? 'ignore' : 'pipe', 'inherit', 'inherit'],
      input: options.path ? undefined : (options.data ?? '{}'),
    },
  );
  if (error) throw error;
  process.exit(status ?? 1);
}

module.exports = InvokeLocalCloud;
