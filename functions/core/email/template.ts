/** Placeholders a step-notification template may use, each filled from the event or a read. */
export const TEMPLATE_PLACEHOLDERS = [
  'pipeline',
  'step',
  'stepType',
  'status',
  'previousStatus',
  'failureReason',
  'displayName',
  'executionArn',
  'executionLink',
  'time',
  'parameters',
] as const;

export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];

const PLACEHOLDER = /\{\{\s*([^{}\s]*)\s*\}\}/g;

/** Every placeholder a template names, known or not. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map(([, name]) => name ?? '');
}

/** The placeholders of a template that are not in {@link TEMPLATE_PLACEHOLDERS}. */
export function unknownTemplatePlaceholders(template: string): string[] {
  return placeholdersOf(template).filter(
    (name) => !(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name),
  );
}

/**
 * Fills `{{placeholder}}`s. Templates are validated when the stack is packaged, so an unknown
 * name here is a bug, and it fails rather than leaving a blank.
 *
 * @example
 * fillTemplate('{{step}} of {{pipeline}} {{status}}', { step: 'Train', pipeline: 'training', status: 'Failed' });
 */
export function fillTemplate(
  template: string,
  values: Readonly<Partial<Record<TemplatePlaceholder, string>>>,
): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name as TemplatePlaceholder];
    if (value === undefined) throw new Error(`Template placeholder {{${name}}} has no value`);
    return value;
  });
}
