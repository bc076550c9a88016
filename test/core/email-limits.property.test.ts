import fc from 'fast-check';
import { renderPlainTextEmail } from '../../functions/core/email/plain-text-email';
import { MESSAGE_MAX_BYTES } from '../../functions/core/email/sns-limits';
import { toEmailSubject } from '../../functions/core/email/subject';
import {
  decideStepNotifications,
  planStepEvent,
} from '../../functions/core/pipeline-notifications';
import { notifyConfig } from '../support/notification-fixtures';

// Anything that can come from outside: step names, S3 keys, descriptions, with control characters,
// line breaks, non-ASCII and astral characters.
const hostileText = fc.string({ unit: 'binary', maxLength: 400 });

describe('subjects lead with the news', () => {
  it('a long subject loses the end of its names, never its beginning', () => {
    const subject = toEmailSubject(
      `[prod] Training failed: training-data-20261101T060000-${'x'.repeat(120)}-1c2d3e4f`,
    );
    expect(subject).toHaveLength(99);
    expect(subject.startsWith('[prod] Training failed: training-data-20261101T060000-xxx')).toBe(
      true,
    );
    expect(subject.endsWith('...')).toBe(true);
  });
});

describe('SNS limits hold for any input (fast-check)', () => {
  it('a subject is 1-99 printable ASCII characters on one line', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const subject = toEmailSubject(text);
        expect(subject.length).toBeGreaterThanOrEqual(1);
        expect(subject.length).toBeLessThanOrEqual(99);
        expect(subject).toMatch(/^[\x20-\x7e]+$/);
        expect(subject).toBe(subject.trim());
      }),
      { numRuns: 500 },
    );
  });

  it('a body stays within 256 KiB in bytes, without control characters other than line breaks', () => {
    fc.assert(
      fc.property(
        hostileText,
        fc.array(hostileText, { maxLength: 5 }),
        fc.integer({ min: 0, max: 3 }),
        (headline, lines, blowUp) => {
          const huge = 'é'.repeat(blowUp === 0 ? 0 : 60_000 * blowUp);
          const body = renderPlainTextEmail(
            { headline, sections: [{ title: 'Facts', lines: [...lines, huge] }] },
            1024,
          );
          expect(Buffer.byteLength(body, 'utf8')).toBeLessThanOrEqual(MESSAGE_MAX_BYTES - 1024);
          expect(body).not.toMatch(/[^\P{Cc}\n\t]/u);
          expect(body).not.toContain('\uFFFD');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a step e-mail built from any step name and failure reason respects both limits', () => {
    fc.assert(
      fc.property(hostileText, hostileText, (stepName, failureReason) => {
        const event = {
          id: 'e',
          source: 'aws.sagemaker' as const,
          time: '2026-11-22T06:47:58Z',
          region: 'eu-west-1',
          'detail-type': 'SageMaker Model Building Pipeline Execution Step Status Change' as const,
          detail: {
            pipelineArn:
              'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/mlops-control-plane-dev-training',
            pipelineExecutionArn:
              'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/mlops-control-plane-dev-training/execution/x',
            stepName,
            stepType: 'Training',
            currentStepStatus: 'Failed',
            failureReason,
          },
        };
        const config = {
          ...notifyConfig,
          stepNotifications: notifyConfig.stepNotifications.map((wanted) => ({
            ...wanted,
            step: '*',
          })),
        };
        const plan = planStepEvent(event, config);
        if ('ignore' in plan) throw new Error(plan.ignore);
        for (const notification of decideStepNotifications(
          event,
          plan,
          config,
          { parameters: [] },
          'eu-west-1',
        )) {
          expect(notification.subject).toMatch(/^[\x20-\x7e]{1,99}$/);
          expect(Buffer.byteLength(notification.body, 'utf8')).toBeLessThanOrEqual(
            MESSAGE_MAX_BYTES,
          );
        }
      }),
      { numRuns: 200 },
    );
  });
});
