// The page's settings: config.json next to index.html says how people sign in and where the API is.
//   {"signIn": "token"}                                   paste a token (the local stack; the jar's default)
//   {"signIn": "cognito", "apiBase": "https://…",         Amazon Cognito's hosted login (AWS; written at deploy)
//    "cognito": {"domain": "https://….amazoncognito.com", "clientId": "…", "redirectUri": "https://…/"}}
// apiBase "" or absent: the API is on this page's origin.

/** config.json could not be read or says something the page cannot use; the message says what. */
export class ConfigError extends Error {
  constructor(problems) {
    super(problems.join(' '));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];

/** An absolute https URL (or http on this machine, for the local stack), or null. */
function secureUrl(value) {
  if (typeof value !== 'string' || !value.trim()) {
    return null;
  }
  let url;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  const ok = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.includes(url.hostname));
  return ok && !url.username && !url.password ? url : null;
}

/** Checks config.json's content; the settings the page uses, or a ConfigError naming every problem. */
export function validate(raw, pageOrigin = location.origin) {
  const problems = [];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(['config.json must hold a JSON object, such as {"signIn": "token"}.']);
  }
  const signIn = raw.signIn;
  if (signIn !== 'token' && signIn !== 'cognito') {
    problems.push(`"signIn" must be "token" or "cognito" (it is ${JSON.stringify(signIn) ?? 'missing'}).`);
  }
  let apiBase = '';
  if (raw.apiBase !== undefined && raw.apiBase !== null && raw.apiBase !== '') {
    const url = secureUrl(raw.apiBase);
    if (!url || url.search || url.hash) {
      problems.push(`"apiBase" must be an https address without query or fragment, such as https://abc123.execute-api.eu-west-1.amazonaws.com, or "" for this server (it is ${JSON.stringify(raw.apiBase)}).`);
    } else {
      apiBase = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    }
  }
  let cognito = null;
  if (signIn === 'cognito') {
    const c = raw.cognito;
    if (c === null || typeof c !== 'object' || Array.isArray(c)) {
      problems.push('"cognito" must be an object with "domain", "clientId" and "redirectUri" when "signIn" is "cognito".');
    } else {
      const domain = secureUrl(c.domain);
      if (!domain || (domain.pathname !== '/' && domain.pathname !== '') || domain.search || domain.hash) {
        problems.push(`"cognito.domain" must be the user pool's https domain, such as https://example.auth.eu-west-1.amazoncognito.com (it is ${JSON.stringify(c.domain) ?? 'missing'}).`);
      }
      const clientIdOk = typeof c.clientId === 'string' && /^[\w-]{1,128}$/.test(c.clientId);
      if (!clientIdOk) {
        problems.push(`"cognito.clientId" must be the app client's id (letters, digits, underscores; it is ${JSON.stringify(c.clientId) ?? 'missing'}).`);
      }
      const redirect = secureUrl(c.redirectUri);
      if (!redirect || redirect.search || redirect.hash) {
        problems.push(`"cognito.redirectUri" must be this page's https address, such as https://d111111abcdef8.cloudfront.net/ (it is ${JSON.stringify(c.redirectUri) ?? 'missing'}).`);
      } else if (redirect.origin !== pageOrigin) {
        problems.push(`"cognito.redirectUri" is ${redirect.href}, but this page is on ${pageOrigin}: open the dashboard at ${redirect.href}, or correct config.json.`);
      }
      if (domain && clientIdOk && redirect && problems.length === 0) {
        cognito = { domain: domain.origin, clientId: c.clientId, redirectUri: redirect.href };
      }
    }
  }
  if (problems.length) {
    throw new ConfigError(problems);
  }
  return { signIn, apiBase, cognito };
}

/** Reads and checks config.json (same directory as index.html). */
export async function loadConfig() {
  let res;
  try {
    res = await fetch('config.json', { cache: 'no-store', credentials: 'omit' });
  } catch (e) {
    throw new ConfigError([`config.json could not be read (${e.message}).`]);
  }
  if (!res.ok) {
    throw new ConfigError([`config.json could not be read: the server answered ${res.status}.`]);
  }
  let raw;
  try {
    raw = JSON.parse(await res.text());
  } catch {
    throw new ConfigError(['config.json is not valid JSON.']);
  }
  return validate(raw);
}
