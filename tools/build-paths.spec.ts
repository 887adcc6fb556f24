import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const json = (file: string): { compilerOptions?: { paths?: object }; jsc?: { paths?: object } } =>
  JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as never;

/**
 * TypeScript (tsconfig.base.json) and the build (.swcrc, which writes dist/ for `npm start`)
 * must map the same @ecomlog/* libraries: a library missing from .swcrc type-checks and passes
 * the unit tests, and then every built service fails at start with "Cannot find module".
 */
describe('the build resolves every library TypeScript does', () => {
  it('.swcrc maps the same @ecomlog/* paths as tsconfig.base.json', () => {
    expect(json('.swcrc').jsc?.paths).toEqual(json('tsconfig.base.json').compilerOptions?.paths);
  });
});
