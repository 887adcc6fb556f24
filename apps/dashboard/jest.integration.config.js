// Integration tests: the dashboard's live feed against the real Kafka started by tools/stack.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'dashboard:integration',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.integration-spec.ts'],
  testTimeout: 120000,
};
