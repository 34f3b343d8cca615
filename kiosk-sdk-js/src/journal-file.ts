import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { CommitBatch, Delivery, Journal, Opened, SessionState, Snapshot } from './journal';

export const FILE_NAME = 'telemetry-journal.log';
export const LOCK_NAME = 'telemetry-journal.lock';
const COMPACT_MIN_BYTES = 1 << 20;

/** Directories held by a FileJournal of this process. */
const heldHere = new Set<string>();

/**
 * The Java SDK's journal format, one line per change, appended (and fsynced unless `sync` is false):
 * `A {record}` queued, `D id,id` finished, `S {state}` an open session's state (newest wins), `X id` session ended.
 * Opening replays it; a last line without its newline (a power cut mid-write) is cut off. Rewritten (temp file,
 * fsync, rename) when finished lines are ≥ ¾ of a file over 1 MiB. One instance per directory: a lock file
 * holding the owner's pid, taken over only when that process is gone.
 */
export class FileJournal implements Journal {
  private readonly file: string;
  private readonly lock: string;
  private handle?: fsp.FileHandle;
  private liveBytes = 0;
  private failedTail = false;
  private goodSize = 0;

  constructor(private readonly directory: string, private readonly sync = true) {
    this.directory = path.resolve(directory);
    this.file = path.join(this.directory, FILE_NAME);
    this.lock = path.join(this.directory, LOCK_NAME);
  }

  async open(): Promise<Opened> {
    await fsp.mkdir(this.directory, { recursive: true });
    this.takeLock();
    try {
      const opened = await this.replay();
      this.handle = await fsp.open(this.file, 'a');
      this.goodSize = (await this.handle.stat()).size;
      return opened;
    } catch (e) {
      this.releaseLock();
      throw e;
    }
  }

  private takeLock(): void {
    if (heldHere.has(this.directory)) {
      throw new Error(`the telemetry journal in ${this.directory} is in use by another SDK instance (one instance per journal directory)`);
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(this.lock, String(process.pid), { flag: 'wx' });
        heldHere.add(this.directory);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw e;
        }
        const owner = Number(fs.readFileSync(this.lock, 'utf8').trim());
        if (owner > 0 && owner !== process.pid && alive(owner)) {
          throw new Error(`the telemetry journal in ${this.directory} is in use by process ${owner} (one instance per journal directory)`);
        }
        fs.rmSync(this.lock, { force: true }); // left by a process that is gone (or by this one, crashed in a test)
      }
    }
    throw new Error(`cannot lock the telemetry journal in ${this.directory}`);
  }

  private releaseLock(): void {
    if (heldHere.delete(this.directory)) {
      fs.rmSync(this.lock, { force: true });
    }
  }

  private async replay(): Promise<Opened> {
    let all: Buffer;
    try {
      all = await fsp.readFile(this.file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        return { pending: [], openSessions: [], unreadable: 0 };
      }
      throw e;
    }
    let complete = all.length;
    while (complete > 0 && all[complete - 1] !== 0x0a) {
      complete--;
    }
    if (complete < all.length) {
      await fsp.truncate(this.file, complete); // never acknowledged as queued
    }
    const pending = new Map<number, Delivery>();
    const sessions = new Map<string, SessionState>();
    let unreadable = 0;
    for (const line of all.subarray(0, complete).toString('utf8').split('\n')) {
      if (line.length < 2) {
        continue;
      }
      try {
        const rest = line.substring(2);
        switch (line.substring(0, 2)) {
          case 'A ': {
            const d = JSON.parse(rest) as Delivery;
            pending.set(d.id, d);
            break;
          }
          case 'D ':
            rest.split(',').forEach((id) => pending.delete(Number(id)));
            break;
          case 'S ': {
            const s = JSON.parse(rest) as SessionState;
            sessions.set(s.sessionId, s);
            break;
          }
          case 'X ':
            sessions.delete(rest.trim());
            break;
          default:
            unreadable++;
        }
      } catch {
        unreadable++;
      }
    }
    this.liveBytes = complete;
    return { pending: [...pending.values()], openSessions: [...sessions.values()], unreadable };
  }

  async commit(b: CommitBatch, current: () => Snapshot): Promise<void> {
    const h = this.handle;
    if (!h) {
      throw new Error('journal closed');
    }
    if (this.liveBytes >= COMPACT_MIN_BYTES) {
      const snapshot = current();
      if (this.liveBytes >= 4 * (snapshot.pendingBytes + 1024)) {
        await this.compact(snapshot.pending, snapshot.sessions);
        return;
      }
    }
    let text = '';
    for (const d of b.added) {
      text += 'A ' + JSON.stringify(d) + '\n';
    }
    if (b.done.length > 0) {
      text += 'D ' + b.done.join(',') + '\n';
    }
    for (const s of b.sessions) {
      text += 'S ' + JSON.stringify(s) + '\n';
    }
    for (const id of b.ended) {
      text += 'X ' + id + '\n';
    }
    if (text === '') {
      return;
    }
    if (this.failedTail) {
      await h.truncate(this.goodSize); // a failed write may have left part of a line
      this.failedTail = false;
    }
    const bytes = Buffer.from(text, 'utf8');
    try {
      await h.write(bytes);
      if (this.sync) {
        await h.datasync();
      }
    } catch (e) {
      this.failedTail = true;
      throw e;
    }
    this.goodSize += bytes.length;
    this.liveBytes += bytes.length;
  }

  private async compact(pending: Delivery[], sessions: SessionState[]): Promise<void> {
    const tmp = this.file + '.tmp';
    const text = [...pending].sort((a, b) => a.id - b.id).map((d) => 'A ' + JSON.stringify(d) + '\n').join('')
      + sessions.map((s) => 'S ' + JSON.stringify(s) + '\n').join('');
    const t = await fsp.open(tmp, 'w');
    try {
      await t.write(Buffer.from(text, 'utf8'));
      await t.sync();
    } finally {
      await t.close();
    }
    await this.handle?.close();
    await fsp.rename(tmp, this.file);
    this.handle = await fsp.open(this.file, 'a');
    this.liveBytes = this.goodSize = Buffer.byteLength(text);
    this.failedTail = false;
  }

  async close(): Promise<void> {
    try {
      await this.handle?.sync();
    } catch {
      // the disk refused; what was forced before stays
    }
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    this.releaseLock();
  }

  /** Tests: the process dies here (nothing more is written; the lock stays as a dead process would leave it). */
  async abandon(): Promise<void> {
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    heldHere.delete(this.directory);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
