// State files in and out: blob text → checked record (errors name the path on the branch), and
// record → canonical text (refused before anything is written when it is malformed or carries a
// private key).
import { canonicalJson } from './canonical-json.ts';
import { StateCorruptError, StateWriteRefusedError } from './errors.ts';
import { assertNoKeyMaterial } from './key-material.ts';
import { assertSafeName } from './names.ts';
import { inventoryProblem, operationProblem } from './records.ts';
import type { InventoryRecord, Operation } from './types.ts';

export function inventoryPath(name: string): string {
  return `inventory/${name}.json`;
}

export function journalPath(id: string): string {
  return `journal/${id}.json`;
}

function parseJson(branch: string, where: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new StateCorruptError(branch, where, `invalid JSON (${(err as Error).message})`, err);
  }
}

export function parseInventoryFile(branch: string, name: string, text: string): InventoryRecord {
  const where = inventoryPath(name);
  const value = parseJson(branch, where, text);
  const problem = inventoryProblem(value);
  if (problem !== null) throw new StateCorruptError(branch, where, `record${problem}`);
  const record = value as InventoryRecord;
  if (record.name !== name) {
    throw new StateCorruptError(branch, where, `name ${JSON.stringify(record.name)} ≠ file name`);
  }
  return record;
}

export function parseOperationFile(branch: string, id: string, text: string): Operation {
  const where = journalPath(id);
  const value = parseJson(branch, where, text);
  const problem = operationProblem(value);
  if (problem !== null) throw new StateCorruptError(branch, where, `operation${problem}`);
  const op = value as Operation;
  if (op.id !== id) {
    throw new StateCorruptError(branch, where, `id ${JSON.stringify(op.id)} ≠ file name`);
  }
  return op;
}

/** Canonical text for inventory/<name>.json; `record` must be named `name`. */
export function inventoryText(name: string, record: InventoryRecord): string {
  assertSafeName('certificate name', name);
  const problem = inventoryProblem(record);
  if (problem !== null) throw new StateWriteRefusedError(`inventory record ${name}${problem}`);
  if (record.name !== name) {
    throw new StateWriteRefusedError(`inventory key ${name} holds a record named ${record.name}`);
  }
  const text = canonicalJson(record);
  assertNoKeyMaterial(inventoryPath(name), text);
  return text;
}

/** Canonical text for journal/<id>.json. */
export function operationText(op: Operation): string {
  assertSafeName('operation id', op?.id);
  const problem = operationProblem(op);
  if (problem !== null) throw new StateWriteRefusedError(`operation ${op.id}${problem}`);
  assertSafeName('certificate name', op.certificate);
  const text = canonicalJson(op);
  assertNoKeyMaterial(journalPath(op.id), text);
  return text;
}
