import { Semaphore } from '../../src/services/semaphore';

const settle = () => new Promise((r) => setImmediate(r));

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

describe('Semaphore', () => {
  test('runs at most max tasks at once; the others start in order as slots free up', async () => {
    const s = new Semaphore(2);
    const started: number[] = [];
    const gates = [gate(), gate(), gate(), gate()];
    const tasks = gates.map((g, i) =>
      s.run(async () => {
        started.push(i);
        await g.opened;
        return i;
      }),
    );
    await settle();
    expect(started).toEqual([0, 1]);
    expect(s.load).toEqual({ running: 2, waiting: 2 });
    gates[1]!.open();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.open();
    await settle();
    expect(started).toEqual([0, 1, 2, 3]);
    gates[2]!.open();
    gates[3]!.open();
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3]);
    expect(s.load).toEqual({ running: 0, waiting: 0 });
  });

  test('a failing task frees its slot and passes its error to its caller only', async () => {
    const s = new Semaphore(1);
    const failing = s.run(async () => {
      throw new Error('render failed');
    });
    const next = s.run(async () => 'rendered');
    await expect(failing).rejects.toThrow('render failed');
    expect(await next).toBe('rendered');
    expect(s.load).toEqual({ running: 0, waiting: 0 });
  });
});
