// Integration tests of the tooling itself (they start a throwaway stack of their own).
module.exports = {
  ...require('../jest.preset.js'),
  displayName: 'tools:integration',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.integration-spec.ts'],
  testTimeout: 300000,
};
