// Unit tests: fast, no infrastructure.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'test-tokens',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
