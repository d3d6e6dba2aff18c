import { describe, expect, it } from 'vitest';
import {
  ExitCode,
  ExternalError,
  exitCodeFor,
  GateNotMetError,
  InvalidInputError,
  LockHeldError,
  PartialApplyError,
  PolicyDeniedError,
  UsageError,
} from './errors.ts';

describe('exitCodeFor', () => {
  it('maps each error class to its documented exit code', () => {
    expect(exitCodeFor(new ExternalError('x'))).toBe(ExitCode.Error);
    expect(exitCodeFor(new UsageError('x'))).toBe(ExitCode.InvalidInput);
    expect(exitCodeFor(new InvalidInputError([]))).toBe(ExitCode.InvalidInput);
    expect(exitCodeFor(new PolicyDeniedError('x'))).toBe(ExitCode.PolicyDenied);
    expect(exitCodeFor(new GateNotMetError('x'))).toBe(ExitCode.GateNotMet);
    expect(exitCodeFor(new LockHeldError('x'))).toBe(ExitCode.LockHeld);
    expect(exitCodeFor(new PartialApplyError('x'))).toBe(ExitCode.PartialApply);
  });

  it('treats anything else as an unexpected error', () => {
    expect(exitCodeFor(new Error('boom'))).toBe(1);
    expect(exitCodeFor('a string')).toBe(1);
  });

  it('keeps the documented numbers', () => {
    expect(ExitCode).toEqual({
      Ok: 0,
      Error: 1,
      Changes: 2,
      InvalidInput: 3,
      PolicyDenied: 4,
      GateNotMet: 5,
      LockHeld: 6,
      PartialApply: 7,
    });
  });
});
