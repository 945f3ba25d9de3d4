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

// Keycloak's history.replaceState for a page answered to a form post, which template.ftl catches unrun in
// <template id="authority-history">: made here, to an address of this site only.
const caught = document.getElementById("authority-history")?.content.querySelector("script");
const address = caught && /history\.replaceState\(\{\}, "[^"]*", "([^"]+)"\)/.exec(caught.textContent);
if (address) {
    const target = new URL(address[1], window.location.href);
    if (target.origin === window.location.origin) {
        window.history.replaceState({}, "", target.href);
    }
}
