// Names are unique per kind across the repository; every later definition names the first.
import { locate } from '../../loader/positions.ts';
import type { ModelObject } from '../../model/object.ts';
import type { Check, ObjectFinding } from '../check.ts';

export const duplicateNames: Check = ({ model, valid }) => {
  const first = new Map<string, ModelObject>();
  const out: ObjectFinding[] = [];
  for (const o of valid) {
    const key = `${o.kind}\0${o.name}`;
    const prev = first.get(key);
    if (!prev) {
      first.set(key, o);
      continue;
    }
    const pos = locate(model.texts.get(prev.source.file) ?? '', prev.source.docIndex, [
      'metadata',
      'name',
    ]);
    out.push({
      object: o,
      code: 'duplicate-name',
      path: ['metadata', 'name'],
      message: `${o.kind} "${o.name}" is already defined at ${prev.source.file}:${pos.line}:${pos.col}`,
      hint: `Names are unique per kind; rename one of the two.`,
    });
  }
  return out;
};
