<#-- The one layout of the pack's pages: language, title, stylesheet, the language switch (links with kc_locale,
     which Keycloak remembers in its locale cookie) and the card the page's content goes in. Rendered by PackPage,
     which provides msg, lang, languages, realmName and resourcesPath. -->
<#macro page title wide=false noReferrer=false>
<!DOCTYPE html>
<html lang="${lang}">
<head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="noindex, nofollow">
    <#if noReferrer><meta name="referrer" content="no-referrer"></#if>
    <title>${title} – ${realmName}</title>
    <link rel="stylesheet" href="${resourcesPath}/css/authority.css">
</head>
<body class="authority">
<#if (languages?size > 1)>
<nav class="authority-languages" aria-label="${msg("authority.languages")}">
    <ul>
        <#list languages as l>
        <li><#if l.current><span aria-current="true" lang="${l.tag}">${l.label}</span><#else><a href="${l.url}" lang="${l.tag}" hreflang="${l.tag}">${l.label}</a></#if></li>
        </#list>
    </ul>
</nav>
</#if>
<main class="authority-card<#if wide> authority-wide</#if>">
<#nested>
</main>
</body>
</html>
</#macro>
