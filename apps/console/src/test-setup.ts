import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// Ant Design reads these browser APIs, which jsdom lacks
if (typeof window !== 'undefined') Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({ matches: false, media: query, onchange: null, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {}, dispatchEvent: () => false }),
});
afterEach(() => cleanup());
