import type { CommitBatch, Delivery, Journal, Opened, SessionState } from './journal';

/**
 * The journal in a browser or an Electron renderer: one IndexedDB database per kiosk app with two object
 * stores, `records` (key: id) and `sessions` (key: sessionId). A commit is one read-write transaction: its
 * puts and deletes land together or not at all, and IndexedDB's `durability: 'strict'` asks the browser to
 * flush before reporting completion. There is no cross-tab lock: run one SDK instance per database name.
 */
export class IndexedDbJournal implements Journal {
  private db?: IDBDatabase;

  constructor(private readonly name = 'kiosk-telemetry', private readonly factory: IDBFactory = globalThis.indexedDB) {
    if (!factory) {
      throw new Error('IndexedDB is not available here: use FileJournal (Node) or MemoryJournal');
    }
  }

  async open(): Promise<Opened> {
    this.db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = this.factory.open(this.name, 1);
      req.onupgradeneeded = () => {
        const db = req.result;
        db.createObjectStore('records', { keyPath: 'id' });
        db.createObjectStore('sessions', { keyPath: 'sessionId' });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const tx = this.db.transaction(['records', 'sessions'], 'readonly');
    const [records, sessions] = await Promise.all([
      request<Delivery[]>(tx.objectStore('records').getAll()),
      request<SessionState[]>(tx.objectStore('sessions').getAll()),
    ]);
    records.sort((a, b) => a.id - b.id);
    return { pending: records, openSessions: sessions, unreadable: 0 };
  }

  async commit(b: CommitBatch): Promise<void> {
    const db = this.db;
    if (!db) {
      throw new Error('journal closed');
    }
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(['records', 'sessions'], 'readwrite', { durability: 'strict' });
      const records = tx.objectStore('records');
      const sessions = tx.objectStore('sessions');
      b.added.forEach((d) => records.put(d));
      b.done.forEach((id) => records.delete(id));
      b.sessions.forEach((s) => sessions.put(s));
      b.ended.forEach((id) => sessions.delete(id));
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
    });
  }

  async close(): Promise<void> {
    this.db?.close();
    this.db = undefined;
  }
}

function request<T>(req: IDBRequest): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result as T);
    req.onerror = () => reject(req.error);
  });
}
