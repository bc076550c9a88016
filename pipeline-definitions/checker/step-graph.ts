/**
 * The cycles among steps, each as the steps along it with the first repeated at the end
 * (`['A', 'B', 'A']`). `runsAfter` maps a step to the steps it must wait for.
 */
export function findCycles(runsAfter: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const finished = new Set<string>();
  const onPath: string[] = [];
  const cycles: string[][] = [];

  const visit = (step: string): void => {
    const start = onPath.indexOf(step);
    if (start >= 0) {
      cycles.push([...onPath.slice(start), step]);
      return;
    }
    if (finished.has(step)) return;
    onPath.push(step);
    for (const predecessor of runsAfter.get(step) ?? []) visit(predecessor);
    onPath.pop();
    finished.add(step);
  };

  for (const step of runsAfter.keys()) visit(step);
  return cycles;
}
