// What deploy writes for each file kind, with which mode, and how rollback recognises it later.
// PEM kinds are plain text from the bundle, compared byte for byte. PKCS#12 is encoded at deploy
// time with fresh salts and IVs, so for it "holds what this bundle wrote" means "decrypts with
// the password and holds this bundle's leaf" (Pkcs12Writer.holds).
import type { DeployBundle } from '../types.ts';
import { KEY_MODE } from './atomic.ts';
import type { FileKind } from './layout.ts';
import { contentFor } from './layout.ts';

/** How PKCS#12 bytes are made and recognised; the password stays inside the implementation. */
export interface Pkcs12Writer {
  /** A fresh encoding of the bundle (different bytes on every call). */
  encode(bundle: DeployBundle): Promise<Uint8Array>;
  /**
   * True when `bytes` decrypt with the password and hold the bundle's leaf; false for any other
   * content. Throws only when the password itself cannot be had.
   */
  holds(bytes: Uint8Array, bundle: DeployBundle): Promise<boolean>;
}

export interface WriteOptions {
  /** Mode of every file except the key and the PKCS#12 file (always 0600). */
  fileMode: number;
  keepPrevious: boolean;
  /** Required when the layout has a pkcs12 file; targets without PKCS#12 support leave it out. */
  pkcs12?: Pkcs12Writer;
}

/** Key and PKCS#12 files are secrets: always 0600. */
export function modeOf(kind: FileKind, opts: WriteOptions): number {
  return kind === 'key' || kind === 'pkcs12' ? KEY_MODE : opts.fileMode;
}

/** The bytes deploy writes for `kind`; pkcs12 needs `opts.pkcs12` (checked by the caller). */
export function dataFor(
  kind: FileKind,
  bundle: DeployBundle,
  opts: WriteOptions,
): Promise<string | Uint8Array> {
  if (kind !== 'pkcs12') return Promise.resolve(contentFor(kind, bundle));
  return (opts.pkcs12 as Pkcs12Writer).encode(bundle);
}

/** True when `current` is what deploying `bundle` wrote for `kind`. */
export function wroteIt(
  kind: FileKind,
  current: Buffer,
  bundle: DeployBundle,
  opts: WriteOptions,
): Promise<boolean> {
  if (kind !== 'pkcs12')
    return Promise.resolve(current.equals(Buffer.from(contentFor(kind, bundle))));
  return (opts.pkcs12 as Pkcs12Writer).holds(current, bundle);
}
