// Integration tests: run against the real Kafka, PostgreSQL and Redis started by tools/stack.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'funds:integration',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.integration-spec.ts'],
  // Generous: a fresh consumer group reads the shared compacted topics from offset 0 before the
  // read models hold what a test published, and the machine is shared.
  testTimeout: 300000,
};
