// Money spent today across every Tiller process on this machine (VS Code windows, CLI runs), so a per-day limit
// holds however the work is split. One append-only JSONL file per local day (storage/jsonl.ts): each record is a
// single O_APPEND write, so concurrent writers never interleave inside a line and no lock is needed. A torn last line
// (a crash mid-write) is skipped: it can only under-count one call, never corrupt the rest.
import { join } from 'node:path';
import { z } from 'zod';
import { appendJsonlRecord, jsonlFollower } from '../storage/jsonl.js';
import { redactSecrets } from '../trace/redact.js';

export interface DailySpend {
  /** USD recorded today by every process, this one included. */
  spentToday(): number;
  record(usd: number): void;
}

interface SpendRecord {
  t: number;
  usd: number;
  pid: number;
}

const spendRecordSchema = z.object({ t: z.number(), usd: z.number().finite().nonnegative(), pid: z.number() });

export function fileDailySpend(dir: string, now: () => Date = () => new Date()): DailySpend {
  let day = '';
  let sum = 0;
  let follower: ReturnType<typeof jsonlFollower<typeof spendRecordSchema>> | undefined;

  const roll = () => {
    const today = localDay(now());
    if (today !== day) {
      day = today;
      sum = 0;
      follower = jsonlFollower(join(dir, `${day}.jsonl`), spendRecordSchema);
    }
  };

  return {
    spentToday() {
      roll();
      // Only what other writers appended since the last look is read.
      for (const r of follower?.readNew() ?? []) sum += r.usd;
      return sum;
    },
    record(usd) {
      if (!(usd > 0)) return;
      roll();
      // Many processes append to one file; nothing here is secret, but every history goes through the same writer.
      appendJsonlRecord<SpendRecord>(
        join(dir, `${day}.jsonl`),
        { t: now().getTime(), usd, pid: process.pid },
        { redact: redactSecrets, syncWhen: () => false },
      );
    },
  };
}

function localDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
