// Integration tests: run against the real Kafka, PostgreSQL and Redis started by tools/stack.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'analytics:integration',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.integration-spec.ts'],
  testTimeout: 600000,
};
