import { returnToAllowed } from './auth.controller.js';

describe('returnToAllowed (where a sign-in may land)', () => {
  it.each([
    ['/console', true],
    ['/console/', true],
    ['/console/ecosystem', true],
    ['/console/members/a-b_c.d~e', true],
    ['/console/x%20y', true],
    ['/consoles', false],
    ['/graphql', false],
    ['https://evil.example/console/', false],
    ['//evil.example/console/', false],
    ['/console//evil.example', false],
    ['/console/../graphql', false],
    ['/console/./x', false],
    ['/console/%2e%2e/graphql', false],
    ['/console/%2F%2Fevil', false],
    ['/console\\x', false],
    ['/console/?next=x', false],
    ['', false],
  ])('%j: %j', (path, allowed) => {
    expect(returnToAllowed(path)).toBe(allowed);
  });
});
