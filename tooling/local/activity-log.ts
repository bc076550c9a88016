/** The parts of the local cloud, as the console names them. */
export type ActivitySource =
  'local' | 's3' | 'events' | 'sqs' | 'lambda' | 'sagemaker' | 'sns' | 'mail';

/** One line of what happened in the local cloud, e.g. `sagemaker  Executing training ...`. */
export type ActivityLog = (source: ActivitySource, message: string) => void;

/**
 * Console lines with the time and the part of the local cloud that acted, one line per fact, so
 * that `npm start` reads as a timeline.
 *
 * @example
 * const log = consoleActivityLog();
 * log('s3', 'PUT s3://bucket/data/training/part-0.csv (1.2 KiB)');
 */
export function consoleActivityLog(write: (line: string) => void = console.log): ActivityLog {
  return (source, message) => {
    const time = new Date().toISOString().slice(11, 19);
    write(`${time} ${source.padEnd(9)} ${message}`);
  };
}
