<#-- The layout of the pack's pages: language, title, stylesheet, the language switch and the card the page's
     content goes in; Keycloak's own pages get the same frame from template.ftl. Rendered by PackPage,
     which provides msg, lang, languages, realmName and resourcesPath. -->
<#import "chrome.ftl" as chrome>
<#-- scripts: file names under resources/js/, loaded as modules; pages work without them (no inline scripts or
     styles anywhere: the realm's Content-Security-Policy allows only the theme's own files) -->
<#macro page title wide=false noReferrer=false scripts=[]>
<!DOCTYPE html>
<html lang="${lang}">
<head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="noindex, nofollow">
    <#if noReferrer><meta name="referrer" content="no-referrer"></#if>
    <title>${title} – ${realmName}</title>
    <link rel="stylesheet" href="${resourcesPath}/css/authority.css">
    <#list scripts as script><script type="module" src="${resourcesPath}/js/${script}"></script>
    </#list>
</head>
<body class="authority">
<@chrome.languageSwitch languages=languages label=msg("authority.languages")/>
<main class="authority-card authority-pack<#if wide> authority-wide</#if>">
<p class="authority-realm">${realmName}</p>
<#nested>
</main>
</body>
</html>
</#macro>
