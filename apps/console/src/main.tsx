import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CONSOLE_BASENAME, ConsoleApp } from './app.js';
import { preloadRoute } from './routes.js';

// the opened page's chunk downloads while React starts
void preloadRoute(window.location.pathname, CONSOLE_BASENAME)?.catch(() => undefined);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConsoleApp />
  </StrictMode>,
);
