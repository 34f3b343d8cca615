import type { Reply, Transport } from '../src/transport';

/** A small seeded generator (mulberry32), so a simulated fleet behaves the same run after run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One kiosk's network as the simulator spoils it, like the Java simulator's FlakyNetwork: it can be cut (every
 * request fails), and it loses a share of answers after the server acted (the kiosk resends: a duplicate).
 */
export class FlakyTransport implements Transport {
  offline = false;
  lostAnswers = 0;

  constructor(private readonly inner: Transport, private readonly lostShare: number, private readonly random: () => number) {}

  async send(method: string, path: string, token: string, body: string): Promise<Reply> {
    if (this.offline) {
      throw new Error('simulated outage');
    }
    const reply = await this.inner.send(method, path, token, body);
    if (reply.status < 300 && this.random() < this.lostShare) {
      this.lostAnswers++;
      throw new Error('simulated lost answer (the server handled the request)');
    }
    return reply;
  }
}
