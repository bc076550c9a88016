import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PIPELINE_EXECUTION_STATUSES } from '../../functions/config/notifications-config';
import { DETAIL_TYPE_OF } from '../../functions/core/ledger/decision';
import { type PackagedTemplate, packagedTemplate } from '../support/serverless-package';
import { ROOT, codeSpans, documentationPages, tableRows } from './documentation';

// The documentation's tables, checked against the code they describe: what exists is listed where
// its table lives, and nothing is listed that does not exist.

const page = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const code = (cell: string) => /`([^`]+)`/.exec(cell)?.[1] ?? cell;
const firstColumn = (path: string, header: string) =>
  tableRows(page(path), header).map(([first]) => code(first ?? ''));

type Resources = PackagedTemplate['Resources'];

/** The logical id a `Ref` or `Fn::GetAtt` names. */
function referenced(value: unknown): string | undefined {
  const reference = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  return reference.Ref ?? reference['Fn::GetAtt']?.[0];
}

/**
 * What triggers each function in a template, by its function name: the rules that target it, the
 * queues it consumes and the rules that send to those queues.
 */
function triggersByFunction(resources: Resources): Map<string, string[]> {
  const functionName = (id: string) => String(resources[id]?.Properties.FunctionName ?? id);
  const triggers = new Map<string, string[]>();
  const add = (fn: string, trigger: string) =>
    triggers.set(fn, [...(triggers.get(fn) ?? []), trigger]);
  const ruleTargets = Object.entries(resources)
    .filter(([, resource]) => resource.Type === 'AWS::Events::Rule')
    .flatMap(([rule, resource]) =>
      (resource.Properties.Targets as Array<{ Arn: unknown }>).map((target) => ({
        rule,
        target: referenced(target.Arn) ?? '',
      })),
    );
  for (const [, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::Lambda::EventSourceMapping') continue;
    const queue = referenced(resource.Properties.EventSourceArn) ?? '';
    const fn = functionName(referenced(resource.Properties.FunctionName) ?? '');
    add(fn, queue);
    for (const { rule } of ruleTargets.filter(({ target }) => target === queue)) add(fn, rule);
  }
  for (const { rule, target } of ruleTargets) {
    if (resources[target]?.Type === 'AWS::Lambda::Function') add(functionName(target), rule);
  }
  return triggers;
}

/** A documented name with `*` (`Schedule*Rule`) stands for the names it matches. */
const matches = (documented: string, name: string) =>
  new RegExp(`^${documented.split('*').join('[A-Za-z0-9]*')}$`).test(name);

describe('the documentation says what the code has', () => {
  const template = packagedTemplate('dev');
  const functionsTable = tableRows(page('README.md'), 'Function');

  it('lists every function of the stack, and no other', () => {
    const functions = Object.values(template.Resources)
      .filter((resource) => resource.Type === 'AWS::Lambda::Function')
      .map((resource) =>
        String(resource.Properties.FunctionName).replace(/^mlops-control-plane-dev-/, ''),
      );
    expect(functionsTable.map(([name]) => code(name ?? '')).sort()).toEqual(functions.sort());
  });

  it('names, beside each function, every rule and queue that triggers it, and only those', () => {
    const triggers = triggersByFunction(template.Resources);
    // Rules that exist only when configured (Model Monitor jobs, alarms) count for a `*` name.
    const optional = ['MonitoringTrainingRule', 'MonitoringModelMonitorRule'];
    for (const [cell, triggeredBy = ''] of functionsTable) {
      const fn = `mlops-control-plane-dev-${code(cell ?? '')}`;
      const documented = codeSpans(triggeredBy).filter((span) => /(Rule|Queue|Buffer)$/.test(span));
      const actual = triggers.get(fn) ?? [];
      for (const trigger of actual) {
        expect({ fn, trigger, documented: documented.some((d) => matches(d, trigger)) }).toEqual({
          fn,
          trigger,
          documented: true,
        });
      }
      for (const name of documented) {
        expect({
          fn,
          name,
          exists: [...actual, ...optional].some((t) => matches(name, t)),
        }).toEqual({ fn, name, exists: true });
      }
    }
  });

  it('lists every sample event of events/ and events/decisions/, and no other', () => {
    const samples = (folder: string) =>
      readdirSync(join(ROOT, folder))
        .filter((file) => file.endsWith('.json'))
        .map((file) => `${folder}/${file}`);
    const documented = [
      ...firstColumn('README.md', 'File'),
      ...tableRows(page('README.md'), 'Detail-type').map(([, sample]) => code(sample ?? '')),
    ];
    expect(documented.sort()).toEqual(
      [...samples('events'), ...samples('events/decisions')].sort(),
    );
  });

  it('lists every decision detail-type the functions publish, and no other', () => {
    expect(firstColumn('README.md', 'Detail-type').sort()).toEqual(
      Object.values(DETAIL_TYPE_OF).sort(),
    );
  });

  it("lists every parameter of serverless.yml's defaults, and no other", () => {
    const yaml = page('serverless.yml');
    const defaults = /^ {2}default:\n((?: {4}.*\n|\s*\n)+)/m.exec(yaml)?.[1] ?? '';
    const declared = [...defaults.matchAll(/^ {4}([A-Za-z]+):/gm)].map(([, name]) => name);
    const documented = documentationPages().flatMap(({ text }) =>
      tableRows(text, '`params` key').map(([key]) => code(key ?? '')),
    );
    expect([...new Set(documented)].sort()).toEqual(declared.sort());
  });

  it('lists every kind of e-mail the functions send, and no other', () => {
    // The kinds are string literals in the core's notification({ ... kind ... }) calls (a few
    // lines in), and one per run status.
    const core = join(ROOT, 'functions', 'core');
    const literalKinds = readdirSync(core)
      .filter((file) => file.endsWith('.ts'))
      .map((file) => readFileSync(join(core, file), 'utf8'))
      .flatMap((source) =>
        [...source.matchAll(/notification\(\{\n(?:.*\n){0,6}?\s+kind: ([^\n]+),$/gm)].flatMap(
          ([, value]) => [...(value ?? '').matchAll(/'([a-z-]+)'/g)].map(([, kind]) => kind),
        ),
      );
    const statusKinds = PIPELINE_EXECUTION_STATUSES.map(
      (status) => `execution-${status.toLowerCase()}`,
    );
    expect(literalKinds.length).toBeGreaterThan(5);
    expect(firstColumn('docs/emails.md', 'E-mail kind').sort()).toEqual(
      [...new Set([...literalKinds, ...statusKinds])].sort(),
    );
  });

  it('links every golden e-mail, and only ones that exist', () => {
    const golden = readdirSync(join(ROOT, 'test', 'notifications', 'golden'));
    const linked = [
      ...page('docs/emails.md').matchAll(/\(\.\.\/test\/notifications\/golden\/([^)]+\.txt)\)/g),
    ].map(([, file]) => file);
    expect([...new Set(linked)].sort()).toEqual(golden.sort());
  });
});
