import { allowedOrigins } from './http-protection.js';

describe('allowedOrigins', () => {
  it.each([
    [{ CONSOLE_ORIGIN: [], HOST: '127.0.0.1', PORT: 3000 }, ['http://localhost:3000', 'http://127.0.0.1:3000']],
    [{ CONSOLE_ORIGIN: [], HOST: 'api.internal', PORT: 8080 }, ['http://api.internal:8080']],
    [{ CONSOLE_ORIGIN: [], HOST: '0:0:0:0:0:0:0:2', PORT: 80 }, ['http://[0:0:0:0:0:0:0:2]:80']],
    [{ CONSOLE_ORIGIN: ['https://console.example.org'], HOST: '127.0.0.1', PORT: 3000 }, ['https://console.example.org']],
  ])('%j → %j', (config, expected) => {
    expect(allowedOrigins(config)).toEqual(expected);
  });
});
