// A real OpenID Connect provider for council's tests, on 127.0.0.1 only. Not for production.
// Environment: OIDC_PORT, OIDC_REDIRECT_URIS (comma-separated), OIDC_CLIENT_ID, OIDC_CLIENT_SECRET,
// OIDC_TOKEN_CLOCK_SKEW_SECONDS (the token endpoint's clock is moved by this much, so a negative
// value issues ID tokens that are already expired when the client receives them).
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const skew = Number(process.env.OIDC_TOKEN_CLOCK_SKEW_SECONDS || 0);

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.OIDC_CLIENT_ID || 'council',
    client_secret: process.env.OIDC_CLIENT_SECRET || 'council-test-secret',
    redirect_uris: (process.env.OIDC_REDIRECT_URIS || '').split(',').filter(Boolean),
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  // PKCE for every client, not only public ones.
  pkce: { required: () => true },
  // The development login form: whatever is typed as the login becomes the account's `sub`.
  features: { devInteractions: { enabled: true } },
  ttl: { IdToken: 600, Interaction: 600, Session: 600, Grant: 600, AccessToken: 600 },
  cookies: { keys: ['council-test-cookie-key'] },
  findAccount: (ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
});

if (skew) {
  provider.use(async (ctx, next) => {
    if (ctx.path !== '/token') return next();
    const realNow = Date.now;
    Date.now = () => realNow() + skew * 1000;
    try { await next(); } finally { Date.now = realNow; }
  });
}

provider.listen(port, '127.0.0.1', () => console.log(`oidc-provider listening on ${issuer}`));
