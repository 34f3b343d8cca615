import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** Where the Debian package puts Chromium; CHROMIUM_BIN overrides it. */
const CANDIDATES = [process.env.CHROMIUM_BIN, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/**
 * A real headless Chromium, driven over the DevTools protocol on its `--remote-debugging-pipe` (JSON messages ending
 * in a NUL byte on file descriptors 3 and 4): no WebDriver and no npm dependency. One page; its profile directory
 * (and so its IndexedDB) lives until {@link close}, across reloads.
 */
export class Browser {
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private waiters: Array<{ method: string; resolve: (params: any) => void }> = [];
  private buffered = '';
  private sessionId = '';
  /** Uncaught exceptions and console errors of the page. */
  readonly errors: string[] = [];

  private constructor(private readonly proc: ChildProcess, private readonly profile: string) {
    proc.once('exit', (code) => {
      const gone = new Error(`Chromium exited (${code})`);
      this.pending.forEach((p) => p.reject(gone));
      this.pending.clear();
    });
    const out = proc.stdio[4] as Readable;
    out.setEncoding('utf8');
    out.on('data', (chunk: string) => {
      this.buffered += chunk;
      let end: number;
      while ((end = this.buffered.indexOf('\0')) >= 0) {
        const message = JSON.parse(this.buffered.slice(0, end));
        this.buffered = this.buffered.slice(end + 1);
        this.dispatch(message);
      }
    });
  }

  static executable(): string {
    const found = CANDIDATES.find((c) => c && existsSync(c));
    if (!found) {
      throw new Error('Chromium is needed for the browser tests: apt-get install chromium (or set CHROMIUM_BIN)');
    }
    return found;
  }

  static async launch(): Promise<Browser> {
    const profile = mkdtempSync(join(tmpdir(), 'kiosk-sdk-browser-'));
    const proc = spawn(Browser.executable(), ['--headless=new', '--remote-debugging-pipe', '--no-sandbox', '--disable-gpu',
      '--no-first-run', '--no-default-browser-check', `--user-data-dir=${profile}`, 'about:blank'],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
    const b = new Browser(proc, profile);
    const { targetId } = await b.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await b.send('Target.attachToTarget', { targetId, flatten: true });
    b.sessionId = sessionId;
    await b.send('Page.enable', {}, true);
    await b.send('Runtime.enable', {}, true);
    return b;
  }

  /** Loads `url` in the page and waits for its load event. */
  async open(url: string): Promise<void> {
    const loaded = this.once('Page.loadEventFired');
    await this.send('Page.navigate', { url }, true);
    await loaded;
  }

  /** Reloads the page, ending its scripts at once as a crash of the kiosk app would, and waits for the load. */
  async reload(): Promise<void> {
    const loaded = this.once('Page.loadEventFired');
    await this.send('Page.reload', { ignoreCache: true }, true);
    await loaded;
  }

  /** Runs `expression` in the page, waits for its promise, and returns its JSON value. */
  async evaluate<T>(expression: string): Promise<T> {
    const r = await this.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, true);
    if (r.exceptionDetails) {
      throw new Error(`in the page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    }
    return r.result.value as T;
  }

  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    this.send('Browser.close', {}).catch(() => undefined);
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    rmSync(this.profile, { recursive: true, force: true });
  }

  private send(method: string, params: object, inPage = false): Promise<any> {
    const id = this.nextId++;
    const message: Record<string, unknown> = { id, method, params };
    if (inPage) {
      message.sessionId = this.sessionId;
    }
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      (this.proc.stdio[3] as Writable).write(JSON.stringify(message) + '\0');
    });
  }

  /** The next event `method`, or a failure after 30 s (a page that never loads must not hang the build). */
  private once(method: string): Promise<any> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${method} within 30 s`)), 30_000);
      this.waiters.push({ method, resolve: (params) => {
        clearTimeout(timer);
        resolve(params);
      } });
    });
  }

  private dispatch(m: any): void {
    if (m.id !== undefined) {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error) {
        p?.reject(new Error(`${m.error.message} (${m.error.code})`));
      } else {
        p?.resolve(m.result);
      }
      return;
    }
    if (m.method === 'Runtime.exceptionThrown') {
      this.errors.push(m.params.exceptionDetails?.exception?.description ?? m.params.exceptionDetails?.text);
    } else if (m.method === 'Runtime.consoleAPICalled' && m.params.type === 'error') {
      this.errors.push(m.params.args.map((a: any) => a.value ?? a.description).join(' '));
    }
    const i = this.waiters.findIndex((w) => w.method === m.method);
    if (i >= 0) {
      this.waiters.splice(i, 1)[0].resolve(m.params);
    }
  }
}
