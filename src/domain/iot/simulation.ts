import type { Result } from '../result.ts';
import type { SensorReading } from './reading.ts';

/** A source of uniform numbers in [0, 1), e.g. Math.random, or a seeded one in tests. */
export type Random = () => number;

export interface DeviceState {
  sensorId: string;
  humidity: number;
  temperature: number;
  /** Where each walk drifts back to (each device has its own climate). */
  baseHumidity: number;
  baseTemperature: number;
  /** Ticks left in a dry spell, during which humidity drifts towards DRY_HUMIDITY (below the alert threshold). */
  dryTicks: number;
  /** The seq of the device's next reading (from 0). */
  seq: number;
}

export interface SimulationState {
  devices: DeviceState[];
}

const DRY_HUMIDITY = 25;
const DRY_SPELL_CHANCE = 0.02;

const between = (random: Random, min: number, max: number) => min + random() * (max - min);
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

/** Devices `<prefix>device-<n>` (n from 1), each with its own base humidity and temperature. */
export function initialState(options: { devices: number; prefix: string }, random: Random): SimulationState {
  return {
    devices: Array.from({ length: options.devices }, (_, i) => {
      const baseHumidity = between(random, 40, 70);
      const baseTemperature = between(random, 15, 28);
      return {
        sensorId: `${options.prefix}device-${i + 1}`,
        humidity: baseHumidity,
        temperature: baseTemperature,
        baseHumidity,
        baseTemperature,
        dryTicks: 0,
        seq: 0,
      };
    }),
  };
}

/** One reading per device at `nowMs`, and the state after it: each measurement takes one step of its walk. */
export function nextReadings(
  state: SimulationState,
  nowMs: number,
  random: Random,
): { readings: SensorReading[]; state: SimulationState } {
  const devices = state.devices.map((device) => step(device, random));
  const timestamp = new Date(nowMs).toISOString();
  const readings = devices.map((device): SensorReading => ({
    sensorId: device.sensorId,
    timestampMs: nowMs,
    timestamp,
    humidity: round(device.humidity, 1),
    temperature: round(device.temperature, 2),
    seq: device.seq - 1,
  }));
  return { readings, state: { devices } };
}

// A mean-reverting random walk: noise plus a pull back to the base (or to dry air during a dry
// spell), so values wander realistically without drifting off, and sometimes dip below 35 %.
function step(device: DeviceState, random: Random): DeviceState {
  const startsDrySpell = device.dryTicks === 0 && random() < DRY_SPELL_CHANCE;
  const dryTicks = startsDrySpell ? Math.round(between(random, 20, 60)) : Math.max(0, device.dryTicks - 1);
  const humidityTarget = dryTicks > 0 ? DRY_HUMIDITY : device.baseHumidity;
  return {
    ...device,
    humidity: clamp(device.humidity + 0.1 * (humidityTarget - device.humidity) + between(random, -1.5, 1.5), 0, 100),
    temperature: clamp(
      device.temperature + 0.05 * (device.baseTemperature - device.temperature) + between(random, -0.3, 0.3),
      -80,
      100,
    ),
    dryTicks,
    seq: device.seq + 1,
  };
}

/** The schedule: `rate` readings per second per device for `durationS` seconds, tick k at start + k/rate s. */
export interface Schedule {
  rate: number;
  totalTicks: number;
}

export function schedule(rate: number, durationS: number): Schedule {
  return { rate, totalTicks: Math.max(1, Math.round(rate * durationS)) };
}

/** How many ticks are due `elapsedMs` after the start (tick 0 is due at once), never more than the total. */
export function ticksDue(plan: Schedule, elapsedMs: number): number {
  return Math.min(plan.totalTicks, Math.floor((Math.max(0, elapsedMs) * plan.rate) / 1000) + 1);
}

/** The reading time of tick k: distinct per tick in whole ms, as the SensorData key needs. */
export function tickTimeMs(plan: Schedule, startMs: number, tick: number): number {
  return startMs + Math.floor((tick * 1000) / plan.rate);
}

export interface SimulatorOptions {
  devices: number;
  rate: number;
  durationS: number;
  prefix: string;
}

/** The simulator's options from its command line strings; reasons name the flag. */
export function simulatorOptions(values: {
  devices?: string;
  rate?: string;
  duration?: string;
  prefix?: string;
}): Result<SimulatorOptions> {
  const devices = Number(values.devices ?? 5);
  const rate = Number(values.rate ?? 1);
  const durationS = Number(values.duration ?? 10);
  const prefix = values.prefix ?? 'sim-';
  if (!Number.isInteger(devices) || devices < 1 || devices > 10_000)
    return { ok: false, reason: '--devices must be an integer from 1 to 10000' };
  // At most 1,000/s per device: readings of one device need distinct millisecond timestamps (the table key).
  if (!Number.isFinite(rate) || rate <= 0 || rate > 1000)
    return { ok: false, reason: '--rate must be readings per second per device, more than 0 and at most 1000' };
  if (!Number.isFinite(durationS) || durationS <= 0)
    return { ok: false, reason: '--duration must be a positive number of seconds' };
  if (!/^[A-Za-z0-9_.:-]{0,100}$/.test(prefix))
    return { ok: false, reason: '--prefix must be at most 100 characters of A-Z a-z 0-9 _ . : -' };
  return { ok: true, value: { devices, rate, durationS, prefix } };
}
