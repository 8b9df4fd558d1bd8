import { join, resolve } from 'node:path';
import { runShim } from './shim';
import { stderrSink } from './stderrSink';

/**
 * Entry of dist/mcp-connect.js: `node mcp-connect.js [mcp connect] <server> [--cwd <workspace>]`. Kept apart
 * from the CLI so that a client's server start loads a few kilobytes, not the engine.
 */
function main(argv: string[]): void {
  const args = argv[0] === 'mcp' && argv[1] === 'connect' ? argv.slice(2) : argv;
  let workspace = process.cwd();
  const names: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '--cwd' && index + 1 < args.length) workspace = resolve(args[++index]);
    else if (arg.startsWith('--cwd=')) workspace = resolve(arg.slice('--cwd='.length));
    else names.push(arg);
  }
  if (names.length !== 1) {
    process.stderr.write('usage: mcp-connect <server> [--cwd <workspace>]\n');
    process.exitCode = 2;
    return;
  }
  const stderr = stderrSink();
  void runShim({
    server: names[0],
    workspace,
    env: process.env,
    daemonCommand: [process.execPath, join(__dirname, 'cli.js'), 'mcp', 'daemon'],
    input: process.stdin,
    output: process.stdout,
    note: (text) => stderr.line(text),
  })
    .then(async (code) => {
      await stderr.flush();
      return code;
    })
    .then((code) => process.exit(code));
}

main(process.argv.slice(2));
