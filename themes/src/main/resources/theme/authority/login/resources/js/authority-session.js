// Keycloak's "signed in in another tab" checks on its own pages (template.ftl), started from data on <body>
// rather than an inline script, so that the realm's Content-Security-Policy (script-src 'self') holds.
import { startSessionPolling, checkAuthSession } from "./authChecker.js";

const data = document.body.dataset;
if (data.ssoLoginInOtherTabsUrl) {
    startSessionPolling(data.ssoLoginInOtherTabsUrl);
}
if (data.authSessionIdHash) {
    checkAuthSession(data.authSessionIdHash);
}
