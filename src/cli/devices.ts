/** `jam devices`: the microphone and line inputs, with the indexes jam live --input takes. */
import type { Argv, CommandModule } from 'yargs';
import { JamError } from '../errors.js';
import { listInputDevices, NO_INPUTS } from '../live/input.js';

interface DevicesArgs {
  json: boolean;
}

function builder(yargs: Argv): Argv<DevicesArgs> {
  return yargs
    .option('json', {
      type: 'boolean',
      default: false,
      describe: 'Print a JSON array of {index, name, id} (empty when there are none)',
    })
    .example('$0 devices', 'List audio inputs') as unknown as Argv<DevicesArgs>;
}

async function handler(args: DevicesArgs): Promise<void> {
  const devices = await listInputDevices();
  if (args.json) {
    process.stdout.write(
      `${JSON.stringify(devices.map((device) => ({ index: device.index, name: device.label, id: device.deviceId })))}\n`,
    );
    return;
  }
  if (devices.length === 0) throw new JamError(NO_INPUTS);
  process.stdout.write(
    `Audio inputs (jam live --input):\n${devices.map((device) => `  ${device.index}  ${device.label}\n`).join('')}`,
  );
}

export const devicesCommand: CommandModule<object, DevicesArgs> = {
  command: 'devices',
  describe: 'List microphone and line inputs',
  builder,
  handler,
};
