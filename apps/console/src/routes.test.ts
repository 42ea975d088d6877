import { describe, expect, it } from 'vitest';
import { preloadRoute, ROUTES } from './routes.js';

describe('preloadRoute', () => {
  it("loads the page a path opens (below the console's base), once", async () => {
    const funnel = preloadRoute('/console/funnel', '/console');
    expect(funnel).not.toBeNull();
    const page = await funnel;
    expect(typeof page).toBe('function');
    expect((page as { name: string }).name).toBe('FunnelPage');
    // the same download again (a trailing slash too), which the route's first render reuses
    expect(preloadRoute('/console/funnel/', '/console')).toBe(funnel);
    expect(ROUTES.find((route) => route.path === '/funnel')?.preload?.()).toBe(funnel);
  });

  it('loads nothing for Sign-in (in the entry) or a path that names no page', () => {
    expect(preloadRoute('/console/', '/console')).toBeNull();
    expect(preloadRoute('/console', '/console')).toBeNull();
    expect(preloadRoute('/console/no-such-page', '/console')).toBeNull();
  });
});
