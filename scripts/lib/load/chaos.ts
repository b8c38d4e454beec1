// Chaos: a steady load on every pipeline while services of the local cloud are stopped and started
// again, then the count per pipeline of what was accepted, stored, dead-lettered and lost.
import { setTimeout as sleep } from 'node:timers/promises';
import { deadLetterReader } from './dead-letters.ts';
import { need, type DriverFactory, type LoadContext } from './drivers.ts';
import { runLoad, type LoadCounts, type LoadResult } from './runner.ts';

/** A service down from `atS` seconds after the load starts, for `downS` seconds. */
export interface Outage {
  service: string;
  atS: number;
  downS: number;
}

export interface ChaosOptions {
  drivers: Record<string, DriverFactory>;
  /** Inputs per second, by pipeline. */
  rates: Record<string, number>;
  durationS: number;
  outages: Outage[];
  settleS: number;
  /** Kept up to date by pipeline while the load runs, for progress lines. */
  counts?: Record<string, LoadCounts>;
  /** Told when a service goes down and comes back. */
  onOutage?: (event: string) => void;
}

export interface ChaosReport {
  results: LoadResult[];
  /** When each service actually went down and came back, in seconds from the start of the load. */
  timeline: Array<{ service: string; stoppedAtS: number; runningAgainAtS: number }>;
}

/** The outages of the default scenario: DynamoDB, Kinesis and Redis down in turn, each for `downS`. */
export function outagesInTurn(durationS: number, downS: number): Outage[] {
  const services = ['dynamodb', 'kinesis', 'redis'];
  const gap = durationS / (services.length + 1);
  return services.map((service, i) => ({ service, atS: Math.round(gap * (i + 1) - downS / 2), downS }));
}

export async function runChaos(context: LoadContext, options: ChaosOptions): Promise<ChaosReport> {
  const drivers = Object.entries(options.drivers).map(([name, driver]) => [name, driver(context)] as const);
  await Promise.all(drivers.map(([, driver]) => driver.prepare?.()));
  const deadLetters = deadLetterReader(context);
  const began = performance.now();
  const load = Promise.all(
    drivers.map(([name, driver]) =>
      runLoad(
        { ...driver, prepare: undefined },
        {
          durationS: options.durationS,
          rate: options.rates[name] ?? 1,
          settleS: options.settleS,
          deadLetters: deadLetters.texts,
          counts: options.counts?.[name],
        },
      ),
    ),
  );
  try {
    const timeline = await runOutages(context, options.outages, began, options.onOutage);
    return { results: await load, timeline };
  } finally {
    deadLetters.close();
  }
}

async function runOutages(
  context: LoadContext,
  outages: readonly Outage[],
  began: number,
  onOutage = (_event: string) => {},
): Promise<ChaosReport['timeline']> {
  const seconds = () => Math.round((performance.now() - began) / 100) / 10;
  const timeline: ChaosReport['timeline'] = [];
  for (const outage of [...outages].sort((a, b) => a.atS - b.atS)) {
    await sleep(Math.max(0, began + outage.atS * 1000 - performance.now()));
    await switchService(context, outage.service, 'stop');
    const stoppedAtS = seconds();
    onOutage(`${outage.service} down at ${stoppedAtS} s`);
    await sleep(outage.downS * 1000);
    await switchService(context, outage.service, 'start');
    timeline.push({ service: outage.service, stoppedAtS, runningAgainAtS: seconds() });
    onOutage(`${outage.service} running again at ${timeline.at(-1)!.runningAgainAtS} s`);
  }
  return timeline;
}

/** Stops or starts a service through the local cloud's console. */
export async function switchService(context: LoadContext, service: string, action: 'stop' | 'start'): Promise<void> {
  const response = await fetch(`${need(context, 'console')}/_local/services/${service}/${action}`, { method: 'POST' });
  if (!response.ok) throw new Error(`could not ${action} ${service}: HTTP ${response.status} ${await response.text()}`);
  await response.arrayBuffer().catch(() => undefined);
}
