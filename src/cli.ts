/**
 * `xavier-lens` command line: a small dispatcher over subcommands, each in src/cli/<name>.ts.
 *   xavier-lens inspect FILE... [--json]
 * Exit codes: 0 ok, 1 a file could not be read (or a command failed), 2 usage.
 */
import { runInspect } from './cli/inspect';
import { runCompareCommand } from './cli/compare';

type Command = (args: string[]) => Promise<number>;

/** Subcommands by name. `compare` (training) registers here next to `inspect`. */
const COMMANDS: Record<string, { run: Command; summary: string }> = {
  inspect: { run: runInspect, summary: 'inspect FILE... [--json]   fans, Xavier/He/LeCun scales and initializers per layer' },
  compare: { run: runCompareCommand, summary: 'compare [--model seed|deep-tanh|FILE] [--inits a,b] [--epochs N] [--test-idx DIR] [--json] ...   train MNIST per initializer (headless Chromium); compare --help' },
};

function usage(): string {
  return ['usage: xavier-lens <command> [options]', '', 'commands:', ...Object.values(COMMANDS).map((c) => `  ${c.summary}`)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return 0;
  }
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    console.error(name === undefined ? usage() : `xavier-lens: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`xavier-lens: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
