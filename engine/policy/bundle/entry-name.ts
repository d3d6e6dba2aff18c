// Bundle entry names. `opa build` writes bundle-rooted names with a leading '/'
// (`/policy.wasm`); `tar -C dir .` writes `./policy.wasm`. Both mean a path inside the bundle.
// Anything that could leave the bundle if extracted is refused: `..` or `.` segments, empty
// segments, backslashes, drive letters, NUL and other control characters.

/** The bundle-relative name (`policy.wasm`, `certops/x.rego`), or an error text. */
export function normalizeEntryName(
  name: string,
): { ok: true; path: string } | { ok: false; why: string } {
  let p = name;
  if (p.startsWith('./')) p = p.slice(2);
  else if (p.startsWith('/')) p = p.slice(1);
  if (p === '') return { ok: false, why: 'an empty name' };
  if (/[\u0000-\u001f\u007f]/.test(p)) return { ok: false, why: 'a control character in the name' };
  if (p.includes('\\')) return { ok: false, why: 'a backslash in the name' };
  if (/^[A-Za-z]:/.test(p)) return { ok: false, why: 'a drive letter' };
  if (p.startsWith('/')) return { ok: false, why: 'an absolute name' };
  const segments = p.split('/');
  if (segments.includes('..')) return { ok: false, why: "a '..' segment (path traversal)" };
  if (segments.some((s) => s === '' || s === '.'))
    return { ok: false, why: 'an empty or . segment' };
  return { ok: true, path: p };
}
