/** The `jam` command line: one yargs command module per command, over the library in src/index.ts. */
import { readFileSync } from 'node:fs';
import yargs, { type CommandModule } from 'yargs';
import { excerpt, usageError } from '../errors.js';
import { decodeDashedArgs, encodeAfterDoubleDash, STDIO_ARG } from './args.js';
import { handleSignals, stopOrExit } from './interrupt.js';
import { reportError } from './report.js';

/** Commands differ in their arguments; yargs checks each against its own builder. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each builder types its own arguments
type Command = CommandModule<object, any>;

/**
 * Each command's module, imported only when it is needed: the modules pull in the engines, tonal and the audio
 * decoder, and importing all of them for one command costs a noticeable part of a second at every start.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  transcribe: async () => (await import('./transcribe.js')).transcribeCommand,
  analyze: async () => (await import('./analyze.js')).analyzeCommand,
  eval: async () => (await import('./eval.js')).evalCommand,
  progression: async () => (await import('./progression.js')).progressionCommand,
  pack: async () => (await import('./pack.js')).packCommand,
  view: async () => (await import('./view.js')).viewCommand,
  report: async () => (await import('./reportCommand.js')).reportCommand,
  live: async () => (await import('./live.js')).liveCommand,
  play: async () => (await import('./play.js')).playCommand,
  record: async () => (await import('./record.js')).recordCommand,
  ports: async () => (await import('./ports.js')).portsCommand,
  devices: async () => (await import('./devices.js')).devicesCommand,
  serve: async () => (await import('./serve.js')).serveCommand,
  token: async () => (await import('./token.js')).tokenCommand,
  join: async () => (await import('./join.js')).joinCommand,
  session: async () => (await import('./session.js')).sessionCommand,
};

/** The command modules `argv` needs: its command's alone, or all of them for help, completion and mistakes. */
function commandsFor(argv: string[]): Promise<Command[]> {
  const named = Object.hasOwn(COMMANDS, argv[0]) ? COMMANDS[argv[0]] : undefined;
  return Promise.all(named ? [named()] : Object.values(COMMANDS).map((load) => load()));
}

function packageVersion(): string {
  const json = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return json.version;
}

export async function buildCli(argv: string[]) {
  return yargs(argv)
    .scriptName('jam')
    .usage('$0 <command> [options]\n\nAudio to MIDI with Basic Pitch, and MIDI to understanding.')
    .command(await commandsFor(argv))
    .middleware((args) => decodeDashedArgs(args), true)
    .completion('completion', 'Print a shell completion script (bash or zsh): jam completion >> ~/.bashrc')
    .option('quiet', {
      alias: 'q',
      type: 'boolean',
      default: false,
      describe: 'Print nothing but errors',
      global: true,
    })
    .option('debug', { type: 'boolean', default: false, describe: 'Show stack traces with errors', global: true })
    .demandCommand(1, 'give a command, e.g. jam transcribe take.wav')
    .recommendCommands()
    .strict()
    .version(packageVersion())
    .alias('version', 'V')
    .help()
    .alias('help', 'h')
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .epilogue('Docs: README.md. Exit codes: 0 success, 1 some input failed, 2 usage error.')
    .fail((message, error) => {
      // yargs' own errors (YError) are usage errors too; anything else is the command's.
      if (error && error.name !== 'YError') throw error;
      throw usageError(`${plainUsageMessage(message ?? error.message, argv)} (see jam --help)`);
    });
}

function optionName(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

/** yargs' wording, told the way a user typed it: options with their dashes, commands by name. */
/** The commands that have subcommands, and theirs: a word that is none of them is named as such. */
const SUBCOMMANDS: Record<string, string[]> = { eval: ['notes', 'chords', 'key'], report: ['merge'] };

export function plainUsageMessage(message: string, argv: string[]): string {
  const unknown = /^Unknown arguments?: (.*)$/.exec(message);
  const subcommands = SUBCOMMANDS[argv[0]];
  if (unknown && subcommands && argv[1] !== undefined && !argv[1].startsWith('-') && !subcommands.includes(argv[1]))
    return `jam ${argv[0]} has no subcommand ${excerpt(argv[1])}; use one of ${subcommands.join(', ')}, e.g. jam ${argv[0]} ${subcommands[0]} …`;
  if (unknown) {
    const names = unknown[1].split(', ');
    // yargs lists both spellings of a dashed option; keep the one the user typed.
    const typed = names.filter(
      (name) => !/[A-Z]/.test(name) || !names.includes(name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)),
    );
    return `unknown option${typed.length > 1 ? 's' : ''} ${typed.map(optionName).join(', ')}`;
  }
  const suggestion = /^Did you mean (.*)\?$/.exec(message);
  if (suggestion) return `unknown command "${argv[0]}"; did you mean ${suggestion[1]}?`;
  if (/^Not enough non-option arguments/.test(message))
    return `give at least one input, e.g. jam ${argv[0] ?? 'transcribe'} take.wav`;
  const invalid = /^Invalid values:\s*Argument: (\S+), Given: (.*), Choices: (.*)$/s.exec(message);
  if (invalid) return `${optionName(invalid[1])} ${invalid[2].replace(/"/g, '')}: use one of ${invalid[3].trim()}`;
  const missingOptions = /^Missing required arguments?: (.*)$/.exec(message);
  if (missingOptions) {
    const names = missingOptions[1].split(', ');
    return `${names.map(optionName).join(' and ')} ${names.length > 1 ? 'are' : 'is'} needed`;
  }
  const missingValue = /^Not enough arguments following: (.*)$/.exec(message);
  if (missingValue) return `${optionName(missingValue[1])} needs a value`;
  return message;
}

export async function main(argv: string[]): Promise<void> {
  const debug = argv.includes('--debug');
  // A reader that stops early (jam … | head) is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stopOrExit(0, 'EPIPE');
  });
  handleSignals();
  try {
    await (await buildCli(encodeAfterDoubleDash(argv).map((arg) => (arg === '-' ? STDIO_ARG : arg)))).parseAsync();
  } catch (error) {
    process.exitCode = reportError(error, debug);
  }
}
