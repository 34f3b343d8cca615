/**
 * The few IndexedDB calls IndexedDbJournal makes, in memory, with IndexedDB's event shape (requests answered
 * asynchronously, a transaction's writes applied together at `complete`, nothing applied on abort). Not a real
 * IndexedDB: no browser runs in this build (docs/decisions.md); it checks the journal's use of the API.
 */
type Row = Record<string, unknown>;

class FakeRequest {
  result: unknown;
  error: unknown = null;
  onsuccess: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onupgradeneeded: (() => void) | null = null;
  succeed(result: unknown): void {
    this.result = result;
    setTimeout(() => this.onsuccess?.(), 0);
  }
}

class FakeStore {
  constructor(private readonly tx: FakeTransaction, private readonly data: Map<unknown, Row>, private readonly keyPath: string) {}
  put(v: Row): FakeRequest {
    const copy = structuredClone(v);
    this.tx.pending.push(() => this.data.set(copy[this.keyPath], copy));
    return new FakeRequest();
  }
  delete(key: unknown): FakeRequest {
    this.tx.pending.push(() => this.data.delete(key));
    return new FakeRequest();
  }
  getAll(): FakeRequest {
    const r = new FakeRequest();
    r.succeed([...this.data.values()].map((v) => structuredClone(v)));
    return r;
  }
}

class FakeTransaction {
  pending: Array<() => void> = [];
  error: unknown = null;
  oncomplete: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  constructor(private readonly db: FakeDb, readonly failWith?: Error) {
    setTimeout(() => {
      if (this.failWith) {
        this.error = this.failWith;
        this.onabort?.();
        return;
      }
      this.pending.forEach((f) => f());
      this.oncomplete?.();
    }, 0);
  }
  objectStore(name: string): FakeStore {
    const s = this.db.stores.get(name);
    if (!s) {
      throw new Error(`NotFoundError: no store ${name}`);
    }
    return new FakeStore(this, s.data, s.keyPath);
  }
}

class FakeDb {
  stores = new Map<string, { keyPath: string; data: Map<unknown, Row> }>();
  version = 0;
  failNextWrite?: Error;
  createObjectStore(name: string, o: { keyPath: string }): void {
    this.stores.set(name, { keyPath: o.keyPath, data: new Map() });
  }
  transaction(_names: string[], mode: string): FakeTransaction {
    const fail = mode === 'readwrite' ? this.failNextWrite : undefined;
    this.failNextWrite = undefined;
    return new FakeTransaction(this, fail);
  }
  close(): void {}
}

export class FakeIndexedDb {
  readonly dbs = new Map<string, FakeDb>();
  open(name: string, version: number): FakeRequest {
    const r = new FakeRequest();
    let db = this.dbs.get(name);
    const upgrade = !db || db.version < version;
    if (!db) {
      db = new FakeDb();
      this.dbs.set(name, db);
    }
    const d = db;
    setTimeout(() => {
      r.result = d;
      if (upgrade) {
        d.version = version;
        r.onupgradeneeded?.();
      }
      r.onsuccess?.();
    }, 0);
    return r;
  }
}
