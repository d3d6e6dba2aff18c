// Errors OPA's builtins raise, reproduced where their code and text are known exactly. As in
// OPA, with strict builtin errors (plan header flags, bit 0) the evaluation stops with
// `regoc:<code>: <builtin>: <text>`; otherwise the call is undefined (returns 0).
import { msgInt, msgStart, msgText, msgThrow } from './abort';
import { hasPlan, PLAN_BASE } from './alloc';
import {
  H_FLAGS,
  TAG_ARRAY,
  TAG_BIGNUM,
  TAG_BOOL,
  TAG_FLOAT,
  TAG_INT,
  TAG_NULL,
  TAG_OBJECT,
  TAG_SET,
  TAG_STRING,
} from './layout';

export function strict(): bool {
  return hasPlan() && (load<u32>(PLAN_BASE + H_FLAGS) & 1) != 0;
}

/** OPA's name of a value's type. */
function typeName(v: usize): string {
  const t = load<u32>(v);
  if (t == TAG_NULL) return 'null';
  if (t == TAG_BOOL) return 'boolean';
  if (t == TAG_INT || t == TAG_BIGNUM || t == TAG_FLOAT) return 'number';
  if (t == TAG_STRING) return 'string';
  if (t == TAG_ARRAY) return 'array';
  if (t == TAG_OBJECT) return 'object';
  if (t == TAG_SET) return 'set';
  return 'unknown';
}

/** eval_builtin_error `<name>: <text>`. */
export function evalError(name: string, text: string): usize {
  if (!strict()) return 0;
  msgStart('regoc:eval_builtin_error: ');
  msgText(name);
  msgText(': ');
  msgText(text);
  msgThrow();
  return 0;
}

/** eval_type_error `<name>: operand <n> must be <expected> but got <type of v>`. */
export function typeError(name: string, operand: i32, expected: string, v: usize): usize {
  if (!strict()) return 0;
  msgStart('regoc:eval_type_error: ');
  msgText(name);
  msgText(': operand ');
  msgInt(operand);
  msgText(' must be ');
  msgText(expected);
  msgText(' but got ');
  msgText(typeName(v));
  msgThrow();
  return 0;
}

/** eval_type_error `<name>: operand <n> must be one of {<values>}`. */
export function enumError(name: string, operand: i32, values: string): usize {
  if (!strict()) return 0;
  msgStart('regoc:eval_type_error: ');
  msgText(name);
  msgText(': operand ');
  msgInt(operand);
  msgText(' must be one of {');
  msgText(values);
  msgText('}');
  msgThrow();
  return 0;
}
