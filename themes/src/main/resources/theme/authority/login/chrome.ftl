<#-- The frame every page of the realm shares: the pack's pages (pack-layout.ftl) and Keycloak's own (template.ftl).
     A language switch of plain links (kc_locale; Keycloak remembers the choice in its locale cookie), so it works
     without JavaScript, unlike keycloak.v2's select. -->
<#macro languageSwitch languages label>
<#if (languages?size > 1)>
<nav class="authority-languages" aria-label="${label}">
    <ul>
        <#list languages as l>
        <li><#if l.current><span aria-current="true" lang="${l.tag}">${l.label}</span><#else><a href="${l.url}" lang="${l.tag}" hreflang="${l.tag}">${l.label}</a></#if></li>
        </#list>
    </ul>
</nav>
</#if>
</#macro>
