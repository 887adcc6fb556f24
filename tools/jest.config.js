// Tests of the repository's own tooling and artefacts (compose file, manifests, AsyncAPI).
module.exports = {
  ...require('../jest.preset.js'),
  displayName: 'tools',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts'],
};
