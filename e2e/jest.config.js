// End-to-end tests: built services (dist/) as real processes on the real Kafka, PostgreSQL, Redis.
module.exports = {
  ...require('../jest.preset.js'),
  displayName: 'e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  testTimeout: 300000,
};
