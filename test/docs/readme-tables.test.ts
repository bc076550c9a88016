import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packagedTemplate } from '../support/serverless-package';

// The README's tables, checked against the code they describe: a function, a sample event or a
// parameter that exists is listed, and nothing is listed that does not exist.

const root = join(__dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The first-column cells of the Markdown table whose header row starts with `header`. */
function firstColumn(header: string): string[] {
  const lines = readme.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`| ${header}`));
  if (start === -1) throw new Error(`README has no table headed "${header}"`);
  const rows: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.split('|')[1]?.trim() ?? '');
  }
  return rows;
}

const code = (cell: string) => /`([^`]+)`/.exec(cell)?.[1] ?? cell;

describe('the README says what the code has', () => {
  it('lists every function of the stack, and no other', () => {
    const template = packagedTemplate('dev');
    const functions = Object.values(template.Resources)
      .filter((resource) => resource.Type === 'AWS::Lambda::Function')
      .map((resource) =>
        String(resource.Properties.FunctionName).replace(/^mlops-control-plane-dev-/, ''),
      );
    expect(firstColumn('Function').map(code).sort()).toEqual(functions.sort());
  });

  it('lists every sample event of events/, and no other', () => {
    const samples = readdirSync(join(root, 'events')).filter((file) => file.endsWith('.json'));
    expect(firstColumn('File').map(code).sort()).toEqual(
      samples.map((file) => `events/${file}`).sort(),
    );
  });

  it('links every golden e-mail, and only ones that exist', () => {
    const golden = readdirSync(join(root, 'test', 'notifications', 'golden'));
    const linked = [...readme.matchAll(/\(test\/notifications\/golden\/([^)]+\.txt)\)/g)].map(
      ([, file]) => file,
    );
    expect([...new Set(linked)].sort()).toEqual(golden.sort());
  });

  it("lists every parameter of serverless.yml's defaults, and no other", () => {
    const yaml = readFileSync(join(root, 'serverless.yml'), 'utf8');
    const defaults = /^ {2}default:\n((?: {4}.*\n|\s*\n)+)/m.exec(yaml)?.[1] ?? '';
    const declared = [...defaults.matchAll(/^ {4}([A-Za-z]+):/gm)].map(([, name]) => name);
    const documented = [
      ...firstColumn('`params` key               |'),
      ...firstColumn('`params` key                      |'),
    ].map(code);
    expect(documented.sort()).toEqual(declared.sort());
  });
});
