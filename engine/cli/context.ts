// Global options, parsed once into the context every command receives.
import path from 'node:path';
import { fixedClock, systemClock, type Clock } from '../clock.ts';
import { UsageError } from '../errors.ts';
import type { CliIO } from './io.ts';
import { makeStyle, type Style } from './style.ts';

export interface GlobalOptions {
  repo?: string;
  json?: boolean;
  now?: string;
  color?: boolean;
}

export interface Context {
  /** Absolute path of the repository root (holds certops.yaml and certs.d/). */
  repo: string;
  json: boolean;
  clock: Clock;
  style: Style;
  io: CliIO;
}

/** Parses --now: an RFC 3339 time, or a date (midnight UTC). */
export function parseNow(text: string): Date {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
  const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(iso);
  const d = new Date(iso);
  if (!ok || Number.isNaN(d.getTime())) {
    throw new UsageError(
      `--now "${text}" is not a date or RFC 3339 time`,
      'Write e.g. --now 2026-12-01 or --now 2026-12-01T09:30:00Z.',
    );
  }
  return d;
}

export function makeContext(opts: GlobalOptions, io: CliIO): Context {
  const color = opts.color !== false && io.isTTY && io.env.NO_COLOR === undefined && !opts.json;
  return {
    repo: path.resolve(io.cwd, opts.repo ?? io.env.CERTOPS_REPO ?? '.'),
    json: Boolean(opts.json),
    clock: opts.now ? fixedClock(parseNow(opts.now)) : systemClock,
    style: makeStyle(color),
    io,
  };
}
