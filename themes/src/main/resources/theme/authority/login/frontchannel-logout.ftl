<#-- Keycloak's front-channel logout page: each application's logout address in a hidden frame, then on to where the
     logout returns. base's page hides the frames with a style attribute and moves on with an inline script, which
     the realm's Content-Security-Policy blocks; here a class hides them and js/authority-frontchannel-logout.js
     follows the Continue link once every frame has loaded. Without JavaScript the link is there to follow. -->
<#import "template.ftl" as layout>
<@layout.registrationLayout; section>
    <#if section = "header">
        ${msg("frontchannel-logout.title")}
    <#elseif section = "form">
        <p>${msg("frontchannel-logout.message")}</p>
        <ul>
        <#list logout.clients as client>
            <li>${client.name}<iframe class="authority-logout-frame" title="${client.name}" src="${client.frontChannelLogoutUrl}"></iframe></li>
        </#list>
        </ul>
        <#if logout.logoutRedirectUri?has_content>
            <a id="continue" class="${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}" href="${logout.logoutRedirectUri}">${msg("doContinue")}</a>
            <script type="module" src="${url.resourcesPath}/js/authority-frontchannel-logout.js"></script>
        </#if>
    </#if>
</@layout.registrationLayout>
