// Keycloak's front-channel logout page (frontchannel-logout.ftl): once the applications' logout frames have loaded,
// go where the logout returns to, the address of the page's Continue link.
const go = () => {
    const next = document.getElementById("continue");
    if (next) {
        window.location.replace(next.href);
    }
};
if (document.readyState === "complete") {
    go();
} else {
    window.addEventListener("load", go);
}
