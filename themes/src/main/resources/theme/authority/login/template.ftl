<#-- Keycloak's login pages (sign-in form, required actions, consent, device, info, error, logout confirmation…) in the
     pack's frame: the layout macro every keycloak.v2 and base template calls (registrationLayout and its sections
     header, show-username, form, socialProviders, info), written for the pack so that these pages share the
     language switch, card and stylesheet of the pack's own pages (pack-layout.ftl), and work without JavaScript:
     the language switch and "try another way" are links and buttons, not scripts. Keycloak's scripts stay as
     progressive enhancement (password visibility, sign-in detected in another tab), loaded from files: no inline
     script or style (docs/pages.md, Content-Security-Policy). -->
<#import "field.ftl" as field>
<#import "footer.ftl" as loginFooter>
<#import "chrome.ftl" as chrome>

<#-- The account being signed in, with a way to start over as someone else (a link, not a script). -->
<#macro username>
  <div class="authority-attempted">
    <span id="kc-attempted-username">${auth.attemptedUsername}</span>
    <a id="reset-login" href="${url.loginRestartFlowUrl}">${msg("restartLoginTooltip")}</a>
  </div>
</#macro>

<#macro registrationLayout bodyClass="" displayInfo=false displayMessage=true displayRequiredFields=false>
<#assign languages = []>
<#if realm.internationalizationEnabled && locale?? && locale.supported??>
  <#list locale.supported?sort_by("label") as l>
    <#assign languages += [{"tag": l.languageTag, "label": l.label, "url": l.url, "current": l.languageTag == locale.currentLanguageTag}]>
  </#list>
</#if>
<!DOCTYPE html>
<html lang="${lang}"<#if realm.internationalizationEnabled && locale??> dir="${(locale.rtl)?then('rtl','ltr')}"</#if>>
<head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="noindex, nofollow">
    <title>${msg("loginTitle", (realm.displayName!realm.name))}</title>
    <link rel="icon" href="${url.resourcesPath}/img/favicon.ico">
    <#if properties.stylesCommon?has_content>
        <#list properties.stylesCommon?split(' ') as style><link href="${url.resourcesCommonPath}/${style}" rel="stylesheet">
        </#list>
    </#if>
    <#if properties.styles?has_content>
        <#list properties.styles?split(' ') as style><link href="${url.resourcesPath}/${style}" rel="stylesheet">
        </#list>
    </#if>
    <#if scripts??>
        <#list scripts as script><script src="${script}" type="text/javascript"></script>
        </#list>
    </#if>
    <#-- Keycloak's scripts, no inline code (the realm's Content-Security-Policy has script-src 'self'): the data
         the session checks need is on <body> -->
    <script type="module" src="${url.resourcesPath}/js/passwordVisibility.js"></script>
    <script type="module" src="${url.resourcesPath}/js/authority-session.js"></script>
    <#-- Keycloak writes an inline script in front of the first </head> of a page answered to a form post
         (BrowserHistoryHelper: history.replaceState to the flow's address, so that a reload does not post again),
         which the realm's policy blocks. This end tag catches it inside an inert <template>, where it never runs;
         js/authority-session.js makes the same call from a file. -->
    <template id="authority-history"></head></template>
</head>
<body class="authority authority-keycloak ${bodyClass}" data-page-id="login-${pageId!}" data-sso-login-in-other-tabs-url="${url.ssoLoginInOtherTabsUrl}"<#if authenticationSession??> data-auth-session-id-hash="${authenticationSession.authSessionIdHash}"</#if>>
<@chrome.languageSwitch languages=languages label=msg("languages")/>
<main class="authority-card">
    <p class="authority-realm">${realm.displayName!realm.name}</p>
    <h1 id="kc-page-title"><#nested "header"></h1>

    <#if auth?has_content && auth.showUsername() && !auth.showResetCredentials()>
        <#nested "show-username">
        <@username/>
    </#if>
    <#if displayRequiredFields>
        <p class="authority-required-note"><span aria-hidden="true">*</span> ${msg("requiredFields")}</p>
    </#if>

    <#-- an app-initiated action does not need the "you must do this" warnings of a sign-in -->
    <#if displayMessage && message?has_content && (message.type != 'warning' || !isAppInitiatedAction??)>
        <div class="authority-message authority-message-${message.type}" role="${(message.type == 'error')?then('alert', 'status')}">${message.summary}</div>
    </#if>

    <#nested "form">

    <#if auth?has_content && auth.showTryAnotherWayLink()>
        <form id="kc-select-try-another-way-form" action="${url.loginAction}" method="post" novalidate>
            <input type="hidden" name="tryAnotherWay" value="on">
            <button id="try-another-way" type="submit" class="${properties.kcButtonSecondaryClass} ${properties.kcButtonBlockClass}">${msg("doTryAnotherWay")}</button>
        </form>
    </#if>
    <#if switchOrganizationEnabled?? && switchOrganizationEnabled>
        <form id="kc-switch-organization-form" action="${url.loginAction}" method="post" novalidate>
            <input type="hidden" name="switchOrganization" value="true">
            <button id="switch-organization" type="submit" class="${properties.kcButtonSecondaryClass} ${properties.kcButtonBlockClass}">${msg("doSwitchOrganization")}</button>
        </form>
    </#if>

    <#nested "socialProviders">
    <#if displayInfo>
        <div id="kc-info" class="authority-info"><#nested "info"></div>
    </#if>
    <@loginFooter.content/>
</main>
</body>
</html>
</#macro>
