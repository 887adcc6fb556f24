// Unit tests: fast, no infrastructure. The browser modules in public/ are plain ES modules; SWC
// turns them into CommonJS for jest only (the page itself loads them unchanged).
const preset = require('../../jest.preset.js');
const [, swcOptions] = preset.transform['^.+\\.ts$'];

module.exports = {
  ...preset,
  displayName: 'dashboard',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: {
    ...preset.transform,
    '/public/.+\\.js$': [
      '@swc/jest',
      { ...swcOptions, jsc: { ...swcOptions.jsc, parser: { syntax: 'ecmascript' } } },
    ],
  },
};
