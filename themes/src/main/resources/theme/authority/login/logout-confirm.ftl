<#-- Logout confirmation (Keycloak's page): base's version gives its button tabindex="4", which takes the keyboard
     there before the rest of the page; here the page's own order holds. -->
<#import "template.ftl" as layout>
<@layout.registrationLayout; section>
    <#if section = "header">
        ${msg("logoutConfirmTitle")}
    <#elseif section = "form">
        <div id="kc-logout-confirm">
            <p>${msg("logoutConfirmHeader")}</p>
            <form action="${url.logoutConfirmAction}" method="post">
                <input type="hidden" name="session_code" value="${logoutConfirm.code}">
                <div class="authority-actions">
                    <button id="kc-logout" name="confirmLogout" type="submit" class="${properties.kcButtonPrimaryClass} ${properties.kcButtonBlockClass}">${msg("doLogout")}</button>
                </div>
            </form>
            <#if !logoutConfirm.skipLink && (client.baseUrl)?has_content>
                <p><a href="${client.baseUrl}">${msg("backToApplication")}</a></p>
            </#if>
        </div>
    </#if>
</@layout.registrationLayout>
