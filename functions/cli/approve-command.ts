import { callerArn } from '../aws/caller-identity';
import { describeModelVersion } from '../aws/model-registry';
import { listModelVersions, setModelApproval } from '../aws/model-versions';
import type { CommandOutput } from './command-output';
import {
  type ApprovalDecision,
  approvalDescription,
  parseReason,
  parseVersionReference,
} from './model-approval';
import { UsageError } from './operator-errors';
import type { StackContext } from './stack-context';

/** What `mlops approve|reject` did. */
export interface ApprovalOutcome {
  readonly modelPackageArn: string;
  readonly version: number | undefined;
  readonly group: string;
  readonly previousStatus: string | undefined;
  readonly status: ApprovalDecision;
  readonly approvalDescription: string;
}

/**
 * `mlops approve|reject <version> --reason`: UpdateModelPackage on a version of the stack's own
 * model package group (the deployed configuration's), with who decided (STS) and why in the
 * approval description. The registry's state change event then reaches the stack as any
 * approval does: the confirmation e-mail, and a scoring run when scoreOnApproval says so.
 */
export async function approveCommand(
  stack: StackContext,
  decision: ApprovalDecision,
  versionText: string,
  rawReason: unknown,
): Promise<CommandOutput> {
  const reason = parseReason(rawReason);
  if (typeof reason !== 'string') throw new UsageError(`${reason.problem}.`);
  const reference = parseVersionReference(versionText);
  if ('problem' in reference) throw new UsageError(`${reference.problem}.`);
  const { modelPackageGroup: group } = await stack.scheduleConfig();
  if (reference.kind === 'arn' && reference.group.toLowerCase() !== group.toLowerCase()) {
    throw new UsageError(
      `${reference.arn} is a version of group ${reference.group}, not of this stack's group ${group}: nothing changed.`,
    );
  }
  const arn =
    reference.kind === 'arn' ? reference.arn : await arnOfVersion(stack, group, reference.version);
  const [current, caller] = await Promise.all([
    describeModelVersion(stack.clients.sageMaker, arn),
    callerArn(stack.clients.sts),
  ]);
  const description = approvalDescription(decision, caller, reason);
  await setModelApproval(stack.clients.sageMaker, arn, decision, description);
  const outcome: ApprovalOutcome = {
    modelPackageArn: arn,
    version: current.version,
    group,
    previousStatus: current.approvalStatus,
    status: decision,
    approvalDescription: description,
  };
  return {
    data: outcome,
    text: [
      `${group} v${current.version ?? '?'}: ${current.approvalStatus ?? 'unknown'} → ${decision}`,
      `  model package  ${arn}`,
      `  description    ${description}`,
      decision === 'Approved'
        ? 'The stack e-mails the confirmation; scoring uses this version from its next run.'
        : 'The stack e-mails the confirmation; scoring keeps the newest approved version.',
    ].join('\n'),
  };
}

async function arnOfVersion(stack: StackContext, group: string, version: number): Promise<string> {
  const versions = await listModelVersions(stack.clients.sageMaker, group);
  const found = versions.find((candidate) => candidate.version === version);
  if (found === undefined) {
    throw new UsageError(
      `Group ${group} has no version ${version}: its versions are ${versions.map((v) => v.version).join(', ') || 'none'}.`,
    );
  }
  return found.arn;
}
