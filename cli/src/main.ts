import { version } from '../../package.json';
import { runCli } from './cli';
import type { CliIo } from './command';
import { COMMANDS } from './commands';
import { formatFailure } from './errors';
import { colourWanted, createPalette } from './format/colour';
import { escapingIo } from './format/printable';

// The entry only wires the process to `runCli`: streams, colour decisions, and the one place errors become exit codes.
// Error messages name files and keys of the repository, so they go through the same escaping sink as the output.
const io: CliIo = escapingIo({
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  outColour: createPalette(colourWanted(process.stdout.isTTY === true, process.env)),
  errColour: createPalette(colourWanted(process.stderr.isTTY === true, process.env)),
});
const argv = process.argv.slice(2);
const debug = argv.includes('--debug');
// A program that asked for JSON reads stdout only: give it the failure there too, not just the sentence on stderr.
const json = argv.includes('--json');

runCli(argv, io, { commands: COMMANDS, version, processCwd: process.cwd() }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const failure = formatFailure(error, io.errColour, debug);
    io.err(failure.stderr);
    if (json) io.out(failure.json);
    process.exitCode = failure.exitCode;
  },
);

// A closed pipe (`claude-env show | head`) is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});
