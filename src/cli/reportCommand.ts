/** `jam report merge`: the reports of a sharded batch (one per CI machine) as one report. */
import type { Argv, CommandModule } from 'yargs';
import { mergeReports, parseReport } from '../batch/report.js';
import { checkCanCreate, readInputFile, writeFileAtomic } from '../files.js';
import { userArg } from './args.js';
import { summaryLine } from './batch.js';
import { warn } from './report.js';

interface MergeArgs {
  reports: string[];
  output?: string;
  force: boolean;
  quiet: boolean;
}

async function readReport(file: string) {
  return parseReport((await readInputFile(file, 'a report file')).toString('utf8'), file);
}

const mergeCommand: CommandModule<object, MergeArgs> = {
  command: 'merge <reports..>',
  describe: 'Merge the --report files of the shards of a batch into one',
  builder: (yargs: Argv) =>
    yargs
      .positional('reports', { type: 'string', describe: 'Report files written by jam transcribe/analyze --report' })
      .option('output', {
        requiresArg: true,
        alias: 'o',
        type: 'string',
        describe: 'Write the merged report here (default: standard output)',
      })
      .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Overwrite the output if it exists' })
      .example('$0 report merge reports/*.json -o report.json', 'One report for the whole run')
      .epilogue(
        'Exit code 1 when an input failed or a shard is missing, so a CI job can fail on it.',
      ) as unknown as Argv<MergeArgs>,
  handler: async (args) => {
    const output = args.output === undefined ? '-' : userArg(args.output);
    if (output !== '-') checkCanCreate(output, args.force);
    const merged = mergeReports(await Promise.all(args.reports.map((file) => readReport(userArg(file)))));
    const text = `${JSON.stringify(merged, null, 1)}\n`;
    if (output === '-') process.stdout.write(text);
    else {
      await writeFileAtomic(output, text, { overwrite: args.force });
      if (!args.quiet && process.stderr.isTTY) process.stderr.write(`${output}: ${summaryLine(merged.summary)}\n`);
    }
    const { failed, notRun } = merged.summary;
    if (failed > 0) warn(`${failed} of ${merged.summary.files} inputs failed`);
    if (!merged.complete)
      warn(
        `the run is not complete (${notRun} inputs not run${merged.shards ? `; shards ${merged.shards.map((shard) => `${shard.index}/${shard.count}`).join(', ')}` : ''}); run the missing part again`,
      );
    if (failed > 0 || !merged.complete) process.exitCode = 1;
  },
};

export const reportCommand: CommandModule = {
  command: 'report',
  describe: "Work with batch reports (--report): merge the shards' reports",
  builder: (yargs) =>
    yargs.command(mergeCommand).demandCommand(1, 'say what to do: jam report merge a.json b.json -o all.json'),
  handler: () => undefined,
};
