import { csrfHeaders } from './csrf.js';

/**
 * Signs out: `POST /auth/sign-out` with the session's CSRF token (the api revokes the session and
 * clears its cookies). Throws with the api's message when it refuses.
 */
export async function signOut(): Promise<void> {
  const response = await fetch('/auth/sign-out', { method: 'POST', credentials: 'same-origin', headers: csrfHeaders() });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    throw new Error(body.message ?? `HTTP ${response.status}`);
  }
}

/** Where the sign-in button leads: GitHub's authorisation through the api, back to `returnTo` in the console. */
export function signInUrl(returnTo = '/console/'): string {
  return `/auth/github?return_to=${encodeURIComponent(returnTo)}`;
}
