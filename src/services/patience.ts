/**
 * `answer`, or null when it has not come `ms` after the call (a rejection after that is ignored:
 * the race has handled it). A timer that fires late because the event loop was busy does not
 * count against the answer: when the timer fires, the loop first reads whatever has already
 * arrived on its sockets (setImmediate runs after the I/O phase, timers before it), so null means
 * the answer is really missing, not that the process was too busy to look. Under load a turn of
 * the loop can take longer than `ms`; without this, a healthy Redis would read as a slow one.
 */
export async function withPatience<T>(answer: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  let turn: NodeJS.Immediate | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => (turn = setImmediate(resolve, null)), ms);
  });
  try {
    return await Promise.race([answer, late]);
  } finally {
    clearTimeout(timer);
    if (turn) clearImmediate(turn);
  }
}
