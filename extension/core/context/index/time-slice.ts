// Synchronous work in slices: the walk and the cold read block for a few milliseconds at a time (blocking file
// calls are several times cheaper than their promise round trips) and yield to the event loop between slices, so
// requests and cancellation still get a turn.

/** How long a slice runs before it yields. */
const SLICE_MS = 8;

export class TimeSlice {
  private ends = performance.now() + SLICE_MS;

  /** Whether this slice has used up its time. */
  get due(): boolean {
    return performance.now() >= this.ends;
  }

  /** Yields to the event loop, then starts the next slice. */
  async yield(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.ends = performance.now() + SLICE_MS;
  }
}
