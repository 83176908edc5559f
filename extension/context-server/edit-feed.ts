// Carries edits to the index: buffers as the user types, files as they change on disk. Three rules keep it right and
// cheap. Typing re-indexes a file once per pause, not per keystroke (a parse per key in a large file adds up). Reads
// are asynchronous, so when two events for one path overlap only the later one applies. And `settled()` — awaited by
// every ranked request — flushes typing and waits for reads in flight, so an answer reflects every edit sent before it.
import type { DiskFiles, FileRead } from './disk-files.js';
import type { IndexHost } from './index-host.js';

export interface EditFeedOptions {
  host: IndexHost;
  disk: DiskFiles;
  /** Whether the editor has the file open: its buffer then wins over the disk. */
  isOpen(relative: string): boolean;
  log(message: string): void;
  typingPauseMs: number;
}

export class EditFeed {
  private readonly typing = new Map<string, { getText(): string }>();
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly generations = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Disk changes during the cold build, by path only: an install while a big tree indexes must not pile up contents. */
  private readonly changedDuringBuild = new Set<string>();

  constructor(private readonly o: EditFeedOptions) {}

  /** A buffer changed (opened or edited); its text is read when the pause ends or a request comes. */
  typed(relative: string, document: { getText(): string }): void {
    this.typing.set(relative, document);
    this.typingTimer ??= setTimeout(() => this.flushTyping(), this.o.typingPauseMs);
  }

  /** The editor closed the buffer, discarding unsaved edits: the index goes back to what is on disk. */
  closed(relative: string): void {
    this.typing.delete(relative);
    this.changedOnDisk(relative);
  }

  changedOnDisk(relative: string): void {
    this.o.disk.noteChanged(relative);
    if (this.o.isOpen(relative)) return;
    if (this.o.host.building) {
      this.changedDuringBuild.add(relative);
      return;
    }
    void this.apply(
      relative,
      () => this.o.disk.read(relative),
      () => this.o.isOpen(relative),
    );
  }

  deletedOnDisk(relative: string): void {
    this.o.disk.noteChanged(relative);
    if (this.o.isOpen(relative)) return;
    void this.apply(relative, async () => ((await this.o.disk.admits(relative)) ? { kind: 'removed' } : { kind: 'ignored' }));
  }

  /** The cold build is over: read what changed on disk meanwhile. */
  buildEnded(): void {
    for (const relative of this.changedDuringBuild) this.changedOnDisk(relative);
    this.changedDuringBuild.clear();
  }

  async settled(): Promise<void> {
    this.flushTyping();
    while (this.inFlight.size) await Promise.all(this.inFlight);
  }

  dispose(): void {
    clearTimeout(this.typingTimer);
  }

  private flushTyping(): void {
    clearTimeout(this.typingTimer);
    this.typingTimer = undefined;
    for (const [relative, document] of this.typing) {
      const text = document.getText();
      void this.apply(relative, () => this.o.disk.buffer(relative, text));
    }
    this.typing.clear();
  }

  /** Starts applying one file's new state; the returned promise is tracked until it is done. */
  private apply(relative: string, produce: () => Promise<FileRead>, superseded: () => boolean = () => false): Promise<void> {
    const done = this.applyLatest(relative, produce, superseded)
      .catch((error: unknown) => this.o.log(`${relative} could not be checked for the index: ${String(error)}`))
      .finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
    return done;
  }

  private async applyLatest(relative: string, produce: () => Promise<FileRead>, superseded: () => boolean): Promise<void> {
    const mine = (this.generations.get(relative) ?? 0) + 1;
    this.generations.set(relative, mine);
    const read = await produce();
    if (this.generations.get(relative) !== mine) return;
    this.generations.delete(relative);
    // A disk read that finished after the file was opened: the buffer is what counts.
    if (superseded()) return;
    if (read.kind === 'content') this.o.host.update(relative, read.content);
    else if (read.kind === 'removed') this.o.host.update(relative, null);
  }
}
