import { Command, CommanderError, Option } from 'commander';
import { type CommandOutput, renderOutput } from './command-output';
import { EXIT, operatorMessageOf } from './operator-errors';
import { approveCommand } from './approve-command';
import { backfillCommand, parseBackfillOptions } from './backfill-command';
import { parseReplayOptions, replayCommand } from './replay-command';
import { schedulesCommand } from './schedules-command';
import { statusCommand } from './status-command';
import { type GlobalOptions, type StackContext, discoverStack, targetOf } from './stack-context';
import { whyCommand } from './why-command';

/**
 * The `mlops` program: every command takes --stage, --region, --json and --local, finds the
 * stack by its outputs, prints text or JSON, and exits 0 (done), 1 (failed) or 2 (asked wrongly).
 *
 * @example
 * process.exitCode = await runMlops(process.argv, process.env, { out: console.log, err: console.error });
 */
export async function runMlops(
  argv: readonly string[],
  environment: NodeJS.ProcessEnv,
  print: {
    readonly out: (text: string) => void;
    readonly err: (text: string) => void;
    /** Where a long command shows how far it got (a terminal's progress bar); silent if absent. */
    readonly progress?: (done: number, total: number) => void;
  },
): Promise<number> {
  let globals: GlobalOptions = {};
  const run =
    <A extends unknown[]>(action: (stack: StackContext, ...args: A) => Promise<CommandOutput>) =>
    async (...args: A) => {
      const stack = await discoverStack(globals, environment);
      print.out(renderOutput(await action(stack, ...args), globals.json === true));
    };

  const program = new Command('mlops')
    .description(
      'Operate the SageMaker batch MLOps control plane: see, explain, pause, backfill, replay, approve.',
    )
    .addOption(
      new Option(
        '--stage <stage>',
        'the stage deployed as mlops-control-plane-<stage> (default dev; local with --local)',
      ),
    )
    .addOption(new Option('--region <region>', 'the AWS region (default AWS_REGION)'))
    .option('--json', 'print JSON instead of text')
    .option('--local', "talk to npm start's local cloud instead of AWS")
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: (text) => print.out(text.trimEnd()),
      writeErr: (text) => print.err(text.trimEnd()),
    })
    .exitOverride()
    .hook('preAction', (_program, command) => {
      globals = command.optsWithGlobals<GlobalOptions>();
    });

  program
    .command('status')
    .description(
      'One screen: runs, schedules, versions waiting for review, dead letters, latest decisions',
    )
    .addHelpText('after', '\nExample:\n  $ mlops status --stage prod')
    .action(run((stack) => statusCommand(stack)));

  program
    .command('why')
    .description(
      'Explain what happened to an S3 key: its route, its ledger records, the likely cause',
    )
    .argument('<s3-uri>', 's3://bucket/key')
    .addHelpText(
      'after',
      '\nExample:\n  $ mlops why s3://my-bucket/data/inference/incoming/x.json --stage prod',
    )
    .action(run((stack, uri: string) => whyCommand(stack, uri)));

  const schedules = program
    .command('schedules')
    .description("List, pause or resume this stack's schedules (EventBridge rules)");
  schedules
    .command('list')
    .description('Each schedule with its state and next fire time')
    .addHelpText('after', '\nExample:\n  $ mlops schedules list --stage prod')
    .action(run((stack) => schedulesCommand(stack, 'list', undefined)));
  for (const [verb, what] of [
    ['pause', 'Disable'],
    ['resume', 'Enable'],
  ] as const) {
    schedules
      .command(verb)
      .description(`${what} one schedule's rule, or all of them`)
      .argument('[name]', 'the schedule (all when absent)')
      .addHelpText('after', `\nExample:\n  $ mlops schedules ${verb} daily-scoring --stage prod`)
      .action(run((stack, name: string | undefined) => schedulesCommand(stack, verb, name)));
  }

  program
    .command('backfill')
    .description(
      "Start one run per missed tick of a schedule, with the schedule's own templates and guards",
    )
    .argument('<schedule>', 'the schedule name')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD (UTC)')
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD (UTC), included')
    .option('--dry-run', 'say what would start, start nothing')
    .option('--concurrency <n>', 'at most this many starts at once', '4')
    .addHelpText(
      'after',
      '\nExample:\n  $ mlops backfill daily-scoring --from 2026-11-18 --to 2026-11-22 --stage prod',
    )
    .action(
      run((stack, name: string, options: Record<string, string | boolean | undefined>) =>
        backfillCommand(
          stack,
          parseBackfillOptions(name, options),
          print.progress ?? (() => undefined),
        ),
      ),
    );

  program
    .command('replay')
    .description(
      'Send dead letters back: uploads to the upload buffer, notifications to their function',
    )
    .argument('<queue>', 'uploads or notifications')
    .option('--dry-run', 'say what would go back, move nothing')
    .option('--max <n>', 'notifications: replay at most this many letters (default 100)')
    .option('--rate <n>', 'uploads: messages moved per second (1-500; SQS picks when absent)')
    .addHelpText('after', '\nExample:\n  $ mlops replay uploads --stage prod')
    .action(
      run((stack, queue: string, options: Record<string, string | boolean | undefined>) =>
        replayCommand(stack, parseReplayOptions(queue, options)),
      ),
    );

  for (const [verb, decision] of [
    ['approve', 'Approved'],
    ['reject', 'Rejected'],
  ] as const) {
    program
      .command(verb)
      .description(
        `Mark a model version ${decision.toLowerCase()}, with who decided and why (the stack e-mails the confirmation)`,
      )
      .argument('<version>', "a version number of the stack's model package group, or its ARN")
      .option('--reason <text>', 'why (required; kept in the approval description)')
      .addHelpText(
        'after',
        `\nExample:\n  $ mlops ${verb} 7 --reason "${verb === 'approve' ? 'beats v6 on auc' : 'trained on a partial month'}" --stage prod`,
      )
      .action(
        run((stack, version: string, options: { reason?: string }) =>
          approveCommand(stack, decision, version, options.reason),
        ),
      );
  }

  try {
    await program.parseAsync([...argv]);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const { line, exitCode } = operatorMessageOf(error, targetOf(globals, environment));
    print.err(line);
    return exitCode;
  }
}
