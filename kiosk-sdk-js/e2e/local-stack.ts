import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/**
 * The packaged local stack (infra/local, README's run command) in a child process, in memory, on a free port,
 * as the Java simulator's RunningStack starts it. The Maven build passes LOCAL_STACK_JAR and JAVA; with
 * LOCAL_STACK_URL and TELEMETRY_ADMIN_TOKEN set instead, a stack already running is used.
 */
export class LocalStack {
  private constructor(readonly url: string, readonly adminToken: string, private readonly process?: ChildProcess, private readonly log?: string) {}

  static async start(): Promise<LocalStack> {
    if (process.env.LOCAL_STACK_URL) {
      return new LocalStack(process.env.LOCAL_STACK_URL, process.env.TELEMETRY_ADMIN_TOKEN ?? '');
    }
    const jar = process.env.LOCAL_STACK_JAR ?? path.resolve(__dirname, '..', '..', '..', 'infra', 'local', 'target', 'quarkus-app', 'quarkus-run.jar');
    if (!existsSync(jar)) {
      throw new Error(`no local stack at ${jar}: build it first (./mvnw -B verify -pl kiosk-sdk-js -am)`);
    }
    const java = process.env.JAVA ?? (process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java');
    const port = await freePort();
    const adminToken = 'sdk-js-e2e-admin-token';
    const log = path.join(tmpdir(), `sdk-js-local-stack-${port}.log`);
    const fd = openSync(log, 'w');
    const child = spawn(java, ['-jar', jar], {
      env: { ...process.env, TELEMETRY_PORT: String(port), TELEMETRY_IN_MEMORY: 'true', TELEMETRY_ADMIN_TOKEN: adminToken },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    const stack = new LocalStack(`http://127.0.0.1:${port}`, adminToken, child, log);
    await stack.awaitHealthy();
    return stack;
  }

  private async awaitHealthy(): Promise<void> {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (this.process && this.process.exitCode !== null) {
        throw new Error(`local stack exited: ${readFileSync(this.log!, 'utf8')}`);
      }
      try {
        if ((await fetch(`${this.url}/q/health`)).status === 200) {
          return;
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`local stack not healthy in 120 s: ${readFileSync(this.log!, 'utf8')}`);
  }

  async stop(): Promise<void> {
    const p = this.process;
    if (p && p.exitCode === null) {
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (p.exitCode === null) {
        p.kill('SIGKILL');
      }
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}
