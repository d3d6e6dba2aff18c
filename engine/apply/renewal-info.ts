// ACME Renewal Information for the plan: asks each recorded certificate's issuer for its
// suggested renewal window (issuers that have none are skipped). A failure is not fatal: the
// certificate falls back to renewBefore and the plan says so in a notice.
import type { SuggestedWindow } from '../plan/checks.ts';
import type { DesiredCertificate } from '../plan/desired.ts';
import type { InventoryRecord } from '../state/types.ts';
import { issuerFor } from './context.ts';
import type { LifecycleDeps } from './deps.ts';

export async function suggestedWindows(
  deps: LifecycleDeps,
  desired: readonly DesiredCertificate[],
  inventory: ReadonlyMap<string, InventoryRecord>,
): Promise<{ windows: Map<string, SuggestedWindow>; notices: string[] }> {
  const windows = new Map<string, SuggestedWindow>();
  const notices: string[] = [];
  for (const d of desired) {
    const rec = inventory.get(d.name);
    if (!rec || rec.state !== 'active' || d.issuerType !== 'acme' || rec.issuer !== d.issuer)
      continue;
    try {
      const { provider, ctx } = issuerFor(deps, d.issuer);
      const w = await provider.renewalInfo?.(ctx, rec.certificatePem);
      if (w) windows.set(d.name, w);
    } catch (e) {
      notices.push(
        `${d.name}: ${e instanceof Error ? e.message : String(e)}; renewal follows renewBefore`,
      );
    }
  }
  return { windows, notices };
}
