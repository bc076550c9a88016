import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { notificationFunctionsConfigSchema } from '../../functions/config/function-configs';
import type { Notification } from '../../functions/core/notification';
import { DEV_STACK } from './stack-names';

export const notifyConfig = notificationFunctionsConfigSchema.parse({
  ...DEV_STACK,
  qualityGate: { metric: 'auc', threshold: 0.7 },
  stepNotifications: [
    {
      pipeline: 'training',
      step: 'Train',
      statuses: ['Failed'],
      subject: 'Training step {{step}} of {{pipeline}} {{status}}',
      body: 'The step {{step}} ({{stepType}}) {{status}} at {{time}}:\n{{failureReason}}\n\nParameters:\n{{parameters}}\n\nOpen the run: {{executionLink}}',
    },
  ],
  approval: {
    startBatchInference: true,
    inputDataUrl: 's3://mlops-control-plane-dev-data/data/inference/latest/',
  },
});

/**
 * Compares a rendered e-mail with its golden file (subject line, blank line, body). Run with
 * UPDATE_GOLDEN=1 to write the files after reading the new text by eye.
 */
export function expectGolden(name: string, notification: Notification | undefined): void {
  if (notification === undefined) throw new Error(`No notification rendered for ${name}`);
  const text = `Subject: ${notification.subject}\nAttributes: category=${notification.category} severity=${notification.severity} kind=${notification.kind}${notification.pipeline ? ` pipeline=${notification.pipeline}` : ''}\n\n${notification.body}`;
  const file = join(__dirname, '..', 'notifications', 'golden', `${name}.txt`);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  expect(text).toBe(readFileSync(file, 'utf8'));
}
