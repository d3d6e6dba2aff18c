import { defineConfig } from 'vitest/config';

// The ACME suites run twice: once with pebble rejecting no nonces (fast, deterministic), and once
// with pebble's own 5 % bad-nonce rate (project `acme-badnonce`), so every ACME path is
// exercised with badNonce retries, as against a real CA.
const ACME_SUITES = [
  'engine/issuers/acme/**/*.test.ts',
  'test/acme-*.test.ts',
  'test/example-acme.test.ts',
  'test/pebble.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'all',
          include: ['engine/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'acme-badnonce',
          include: ACME_SUITES,
          env: { CERTOPS_TEST_NONCE_REJECT: '5' },
        },
      },
    ],
  },
});
