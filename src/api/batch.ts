/** Many files at once: expanding folders and patterns, planning outputs, sharding, running, and reports. */
export {
  expandInputs,
  parsePathList,
  AUDIO_EXTENSIONS,
  PIECE_EXTENSIONS,
  type BatchInput,
  type Expansion,
  type Extensions,
} from '../batch/inputs.js';
export { parseShard, type Shard } from '../batch/shard.js';
export { planBatch } from '../batch/plan.js';
export {
  runBatch,
  type BatchItem,
  type Work,
  type WorkContext,
  type WorkResult,
  type Counts,
  type RunOptions,
  type RunResult,
} from '../batch/run.js';
export {
  summarize,
  mergeReports,
  parseReport,
  REPORT_FORMAT,
  type BatchReport,
  type FileRecord,
  type FileStatus,
  type Summary,
} from '../batch/report.js';
export { reportFile, earlierReport, type ReportFile, type ReportHeader } from '../batch/reportFile.js';
