/** `jam ports`: the MIDI inputs and outputs, with the indexes --to and --from take. */
import type { Argv, CommandModule } from 'yargs';
import { listPorts } from '../midi/ports.js';

interface PortsArgs {
  json: boolean;
}

function builder(yargs: Argv): Argv<PortsArgs> {
  return yargs
    .option('json', {
      type: 'boolean',
      default: false,
      describe: 'Print {"inputs":[…],"outputs":[…]} with each port\'s index and name',
    })
    .example('$0 ports', 'List MIDI ports') as unknown as Argv<PortsArgs>;
}

async function handler(args: PortsArgs): Promise<void> {
  const { inputs, outputs } = await listPorts();
  const indexed = (names: string[]) => names.map((name, index) => ({ index, name }));
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ inputs: indexed(inputs), outputs: indexed(outputs) })}\n`);
    return;
  }
  const section = (title: string, names: string[]): string =>
    `${title}:\n${names.length === 0 ? '  (none)\n' : names.map((name, index) => `  ${index}  ${name}\n`).join('')}`;
  process.stdout.write(
    section('MIDI outputs (jam live/play --to)', outputs) + section('MIDI inputs (jam record --from)', inputs),
  );
}

export const portsCommand: CommandModule<object, PortsArgs> = {
  command: 'ports',
  describe: 'List MIDI input and output ports',
  builder,
  handler,
};
