// Unit tests: fast, no infrastructure.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'analytics',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
