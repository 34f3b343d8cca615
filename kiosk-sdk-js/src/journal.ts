import type { JsonObject } from './json';

export type Kind = 'SESSION_START' | 'SESSION_UPDATE' | 'EVENT' | 'METRIC' | 'ERROR' | 'SALE';

/**
 * One record the kiosk means to send, kept in the journal until the server has answered for it.
 * `key` is what the server deduplicates on; `at` the record's own time (epoch ms); `off` the clock correction
 * already applied to its timestamps; `fix` set once it was corrected after a refusal.
 */
export interface Delivery {
  id: number;
  kind: Kind;
  key: string;
  at: number;
  off: number;
  fix?: boolean;
  body: JsonObject;
}

/** What an open session keeps in the journal, so the next start can end it (see SessionManager.recover). */
export type SessionState = JsonObject & { sessionId: string };

/** One group commit: records queued, records finished with, states of open sessions, sessions ended. */
export interface CommitBatch {
  added: Delivery[];
  done: number[];
  sessions: SessionState[];
  ended: string[];
}

export interface Snapshot {
  pending: Delivery[];
  sessions: SessionState[];
  pendingBytes: number;
}

export interface Opened {
  pending: Delivery[];
  openSessions: SessionState[];
  unreadable: number;
}

/**
 * Where the SDK keeps what it still has to send and the sessions still open. A commit applies in order:
 * added, done, sessions, ended. Implementations: {@link MemoryJournal} (no persistence), `FileJournal` (Node,
 * `./journal-file`) and `IndexedDbJournal` (browser or Electron renderer, `./journal-indexeddb`).
 */
export interface Journal {
  open(): Promise<Opened>;
  /** `current` gives what is pending now (and its serialized size), for a journal that rewrites itself. */
  commit(batch: CommitBatch, current: () => Snapshot): Promise<void>;
  close(): Promise<void>;
}

/** Keeps nothing across restarts: for tests, and for a kiosk that has no storage at all. */
export class MemoryJournal implements Journal {
  private records = new Map<number, Delivery>();
  private sessions = new Map<string, SessionState>();

  async open(): Promise<Opened> {
    return { pending: [...this.records.values()], openSessions: [...this.sessions.values()], unreadable: 0 };
  }

  async commit(b: CommitBatch): Promise<void> {
    b.added.forEach((d) => this.records.set(d.id, d));
    b.done.forEach((id) => this.records.delete(id));
    b.sessions.forEach((s) => this.sessions.set(s.sessionId, s));
    b.ended.forEach((id) => this.sessions.delete(id));
  }

  async close(): Promise<void> {}
}
