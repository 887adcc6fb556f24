// Browser test: the built services and the dashboard as processes on the real stack, driven through
// headless Chromium (Debian's /usr/bin/chromium with playwright-core; no browser download).
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'dashboard:browser',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.browser-spec.ts'],
  testTimeout: 600000,
};
