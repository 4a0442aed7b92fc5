import { describe, expect, it } from 'vitest';
import { whenOutboxIdle, type OutboxActivity } from '../src/pwa/update-gate';

/** An outbox whose sending state the test drives, notifying like outbox-runner does. */
function outbox(busy: boolean) {
  const listeners = new Set<(b: boolean) => void>();
  const activity: OutboxActivity = {
    isBusy: () => busy,
    onBusy: (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
  const setBusy = (b: boolean) => {
    busy = b;
    [...listeners].forEach((l) => l(b));
  };
  return { activity, setBusy, listeners };
}

describe('update prompt: never reload while the outbox is sending', () => {
  it('reloads at once when nothing is being sent', () => {
    const o = outbox(false);
    let reloads = 0;
    expect(whenOutboxIdle(o.activity, () => reloads++)).toBe(false);
    expect(reloads).toBe(1);
    expect(o.listeners.size).toBe(0);
  });

  it('waits for the send to end, then reloads exactly once', () => {
    const o = outbox(true);
    let reloads = 0;
    expect(whenOutboxIdle(o.activity, () => reloads++)).toBe(true);
    expect(reloads).toBe(0);
    o.setBusy(true); // still sending (another notification)
    expect(reloads).toBe(0);
    o.setBusy(false);
    expect(reloads).toBe(1);
    // Later sends do not trigger a second reload.
    o.setBusy(true);
    o.setBusy(false);
    expect(reloads).toBe(1);
    expect(o.listeners.size).toBe(0);
  });

  it('keeps waiting if a new send starts before the reload could run', () => {
    const o = outbox(true);
    let reloads = 0;
    whenOutboxIdle(o.activity, () => reloads++);
    // The runner reports idle, but a retry timer already started the next send.
    const [listener] = [...o.listeners];
    o.setBusy(true);
    listener(false);
    expect(reloads).toBe(0);
    o.setBusy(false);
    expect(reloads).toBe(1);
  });
});
