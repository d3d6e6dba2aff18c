// The target providers, one per `spec.type` of a Target (haproxy arrives later). The applier
// looks providers up here and nowhere else.
import { execTarget } from './exec/exec-target.ts';
import { fileTarget } from './file/file-target.ts';
import { nginxTarget } from './nginx/nginx-target.ts';
import type { TargetProvider } from './types.ts';

export const TARGETS: Record<'file' | 'nginx' | 'exec', TargetProvider> = {
  file: fileTarget,
  nginx: nginxTarget,
  exec: execTarget,
};
