import { version } from '../../package.json';
import { runCli } from './cli';
import type { CliIo } from './command';
import { COMMANDS } from './commands';
import { CliError, UsageError } from './errors';
import { ExitCode } from './exitCodes';
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
const reportJson = (exitCode: number, message: string, details: string[] = []): void => {
  if (json) io.out(`${JSON.stringify({ ok: false, error: { exitCode, message, details } }, null, 2)}\n`);
};

runCli(argv, io, { commands: COMMANDS, version, processCwd: process.cwd() }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CliError) {
      io.err(`claude-env: ${io.errColour.red('error')}: ${error.message}\n`);
      for (const line of error.details) io.err(`  ${line}\n`);
      if (error instanceof UsageError)
        io.err(`Run \`claude-env ${error.command ? `${error.command} ` : ''}--help\` for usage.\n`);
      if (debug && error.stack) io.err(`${error.stack}\n`);
      reportJson(error.exitCode, error.message, error.details);
      process.exitCode = error.exitCode;
      return;
    }
    // Anything else is a bug: say so plainly, and keep the trace for those who ask for it.
    const message = error instanceof Error ? error.message : String(error);
    io.err(`claude-env: internal error: ${message}\n`);
    io.err(
      debug && error instanceof Error && error.stack ? `${error.stack}\n` : 'Rerun with --debug for the stack trace.\n',
    );
    reportJson(ExitCode.internal, `internal error: ${message}`);
    process.exitCode = ExitCode.internal;
  },
);

// A closed pipe (`claude-env show | head`) is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});
