/* global window, document, sessionStorage, location, history, crypto, URLSearchParams, btoa, atob */
// Sign-in shared by the pages. The API wants a Cognito ID token (`Authorization: Bearer …`); config.js says
// where to get one (`REFARCH_CONFIG.auth`):
// - `{mode: 'local', tokenUrl}`: the local cloud's console mints one for a user name (never deployed);
// - `{mode: 'hosted', domain, clientId, pagesUrl}`: the user pool's hosted UI, authorization code flow with
//   PKCE (S256): a public client in a browser cannot keep a secret, so the code is bound to a one-time verifier.
// The token lives in sessionStorage: gone with the tab, shared by the pages of this origin.

const SESSION_KEY = 'refarch.auth';
const PENDING_KEY = 'refarch.auth.pending';
const EXPIRY_MARGIN_MS = 60_000; // a token about to expire would fail mid-request: treat it as gone

// ---- pure helpers (unit-tested in test/unit/web/sign-in.test.ts)

export function base64url(bytes) {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A PKCE verifier (43 characters from 32 random bytes) and its S256 challenge. */
export async function pkcePair(randomBytes = crypto.getRandomValues(new Uint8Array(32))) {
  const verifier = base64url(randomBytes);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return { verifier, challenge: base64url(new Uint8Array(digest)) };
}

/** The hosted UI's authorize URL for the code flow with PKCE. */
export function authorizeUrl(auth, { redirectUri, state, challenge }) {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: auth.clientId,
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return `${trimSlash(auth.domain)}/oauth2/authorize?${query}`;
}

/** The form body that exchanges the code at `<domain>/oauth2/token` (no client secret: a public client). */
export function tokenRequestBody(auth, { code, redirectUri, verifier }) {
  return new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: auth.clientId,
    code,
    redirect_uri: redirectUri,
    code_verifier: verifier,
  }).toString();
}

/** The claims of a JWT, read without checking it (the API checks it; the page only shows who signed in). */
export function tokenClaims(token) {
  try {
    const payload = String(token).split('.')[1] ?? '';
    const json = atob(
      payload
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(payload.length / 4) * 4, '='),
    );
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
    return claims && typeof claims === 'object' ? claims : null;
  } catch {
    return null;
  }
}

/** What the page keeps of a token: the token, who it names, their groups and when it expires. */
export function sessionOf(token) {
  const claims = tokenClaims(token);
  if (!claims || typeof claims.exp !== 'number') return null;
  const groups = Array.isArray(claims['cognito:groups'])
    ? claims['cognito:groups'].filter((g) => typeof g === 'string')
    : [];
  return {
    token,
    user: String(claims.email ?? claims['cognito:username'] ?? claims.sub ?? ''),
    groups,
    expiresAtMs: claims.exp * 1000,
  };
}

/** The stored session if it is still usable at `nowMs`, else null. */
export function usableSession(session, nowMs) {
  return session &&
    typeof session.token === 'string' &&
    Number.isFinite(session.expiresAtMs) &&
    session.expiresAtMs - EXPIRY_MARGIN_MS > nowMs
    ? session
    : null;
}

// ---- the sign-in control in the page header

/**
 * Renders the sign-in control into `element` and keeps it current. `group`: the Cognito group the page
 * needs (asked for when signing in locally; named in messages). `page`: this page's file name, the
 * hosted UI's redirect target. `onChange(session)` runs after every sign-in and sign-out.
 */
export function setupSignIn({ element, group, page, onChange = () => {} }) {
  const auth = window.REFARCH_CONFIG?.auth;
  const redirectUri = auth?.mode === 'hosted' ? `${trimSlash(auth.pagesUrl ?? location.origin)}/${page}` : '';
  let session = usableSession(readJson(SESSION_KEY), Date.now());
  let problem = '';

  const control = {
    /** Headers for an API call: the bearer token when signed in. */
    headers: () => (current() ? { authorization: `Bearer ${session.token}` } : {}),
    session: () => current(),
    /** The API refused the token (401): it expired or was revoked; sign in again. */
    expired() {
      if (!session) return;
      problem = 'Your sign-in expired. Sign in again.';
      setSession(null);
    },
    /** A sentence for a refusal of the API (401/403) that tells the user what to do. */
    refusal(status) {
      if (status === 403)
        return `${session?.user ?? 'This user'} is not in the ${group ?? 'required'} group. Sign out and sign in as a member of ${group ?? 'it'}.`;
      return group ? `Sign in as a member of the ${group} group to use this page.` : 'Sign in first.';
    },
  };

  function current() {
    if (session && !usableSession(session, Date.now())) setSession(null);
    return session;
  }

  function setSession(next) {
    session = next;
    if (next) sessionStorage.setItem(SESSION_KEY, JSON.stringify(next));
    else sessionStorage.removeItem(SESSION_KEY);
    render();
    onChange(session);
  }

  function render() {
    element.replaceChildren();
    element.dataset.state = session ? 'signed-in' : 'signed-out';
    if (session) {
      const groups = session.groups.length ? ` (${session.groups.join(', ')})` : '';
      const out = node('button', { type: 'button', class: 'secondary', 'data-sign-out': '' }, 'Sign out');
      out.addEventListener('click', signOut);
      element.append(
        node(
          'span',
          { class: 'who', 'data-signed-in-as': session.user },
          'Signed in as ',
          node('strong', {}, session.user),
          groups,
        ),
        out,
      );
      return;
    }
    if (!auth) {
      element.append(node('span', { class: 'who' }, 'Sign-in is not configured'));
      return;
    }
    if (auth.mode === 'local') {
      const form = node(
        'form',
        { class: 'sign-in-form', 'data-sign-in-form': '' },
        node('label', { for: 'sign-in-user' }, group ? `User name (${group})` : 'User name'),
        node('input', {
          id: 'sign-in-user',
          name: 'user',
          required: '',
          maxlength: '128',
          autocomplete: 'username',
          spellcheck: 'false',
          placeholder: 'alice',
        }),
        node('button', { type: 'submit' }, 'Sign in'),
      );
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        void signInLocally(form.elements.namedItem('user').value.trim());
      });
      element.append(form);
    } else {
      const button = node('button', { type: 'button', 'data-sign-in-button': '' }, 'Sign in');
      button.addEventListener('click', () => {
        void signInHosted();
      });
      element.append(button);
    }
    if (problem) element.append(node('span', { class: 'sign-in-problem', role: 'alert' }, problem));
  }

  async function signInLocally(user) {
    if (!user) return;
    problem = '';
    try {
      const response = await fetch(auth.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user, ...(group ? { groups: [group] } : {}) }),
      });
      const body = await response.json().catch(() => null);
      const next = response.ok ? sessionOf(body?.token) : null;
      if (!next) throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
      setSession(next);
    } catch (error) {
      problem = `Not signed in: ${error.message}`;
      render();
    }
  }

  async function signInHosted() {
    const { verifier, challenge } = await pkcePair();
    const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
    sessionStorage.setItem(PENDING_KEY, JSON.stringify({ state, verifier }));
    location.assign(authorizeUrl(auth, { redirectUri, state, challenge }));
  }

  /** Back from the hosted UI with ?code=&state= (or ?error=): exchanges the code once, then cleans the URL. */
  async function completeHostedSignIn() {
    const params = new URLSearchParams(location.search);
    if (!params.has('code') && !params.has('error')) return;
    const pending = readJson(PENDING_KEY);
    sessionStorage.removeItem(PENDING_KEY);
    const code = params.get('code');
    const state = params.get('state');
    const error = params.get('error_description') ?? params.get('error');
    for (const name of ['code', 'state', 'error', 'error_description']) params.delete(name);
    history.replaceState(null, '', `${location.pathname}${params.size ? `?${params}` : ''}`);
    if (error) {
      problem = `Not signed in: ${error}`;
      return;
    }
    // The state ties the answer to the sign-in this tab started (no code injected from elsewhere).
    if (!pending || pending.state !== state) {
      problem = 'Not signed in: the sign-in answer does not belong to this page. Try again.';
      return;
    }
    try {
      const response = await fetch(`${trimSlash(auth.domain)}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: tokenRequestBody(auth, { code, redirectUri, verifier: pending.verifier }),
      });
      const body = await response.json().catch(() => null);
      const next = response.ok ? sessionOf(body?.id_token) : null;
      if (!next) throw new Error(body?.error ?? `HTTP ${response.status}`);
      session = next;
      sessionStorage.setItem(SESSION_KEY, JSON.stringify(next));
    } catch (failure) {
      problem = `Not signed in: ${failure.message}`;
    }
  }

  function signOut() {
    problem = '';
    setSession(null);
    if (auth?.mode === 'hosted') {
      location.assign(
        `${trimSlash(auth.domain)}/logout?${new URLSearchParams({ client_id: auth.clientId, logout_uri: redirectUri })}`,
      );
    }
  }

  control.ready = (auth?.mode === 'hosted' ? completeHostedSignIn() : Promise.resolve()).then(() => {
    render();
    onChange(current());
  });
  return control;
}

function trimSlash(url) {
  return String(url).replace(/\/+$/, '');
}

function readJson(key) {
  try {
    return JSON.parse(sessionStorage.getItem(key) ?? 'null');
  } catch {
    return null;
  }
}

function node(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}
