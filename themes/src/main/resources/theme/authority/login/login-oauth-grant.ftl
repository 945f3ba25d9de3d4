<#-- Consent (Keycloak's page, also for the device grant): which application, what it asks for in plain words, its
     terms and policy when it has them, Approve and Deny. The form goes to Keycloak's consent action, bound to this
     browser's authentication session; the field "cancel" denies (the documented POST /authorize consent_action answers
     the same pending consent). -->
<#import "template.ftl" as layout>
<#assign appName = (client.name?has_content)?then(advancedMsg(client.name), client.clientId)>
<@layout.registrationLayout bodyClass="oauth"; section>
    <#if section = "header">
        ${msg("oauthGrantTitle", appName)}
    <#elseif section = "form">
        <div id="kc-oauth" class="authority-consent">
            <#if client.attributes.logoUri?has_content>
                <img class="authority-client-logo" src="${client.attributes.logoUri}" alt="${appName}">
            </#if>
            <h2 id="kc-oauth-scopes">${msg("oauthGrantRequest")}</h2>
            <ul aria-labelledby="kc-oauth-scopes">
                <#if oauth.clientScopesRequested??>
                <#list oauth.clientScopesRequested as clientScope>
                    <li><#if !clientScope.parameterizedScopeParameter??>${advancedMsg(clientScope.consentScreenText)}<#else>${advancedMsg(clientScope.consentScreenText, clientScope.parameterizedScopeParameter)}</#if></li>
                </#list>
                </#if>
            </ul>
            <#if client.attributes.tosUri?has_content || client.attributes.policyUri?has_content>
                <p>${msg("oauthGrantInformation", appName)}
                    <#if client.attributes.tosUri?has_content>${msg("oauthGrantReview")} <a href="${client.attributes.tosUri}" target="_blank" rel="noopener noreferrer">${msg("oauthGrantTos")}</a></#if>
                    <#if client.attributes.policyUri?has_content>${msg("oauthGrantReview")} <a href="${client.attributes.policyUri}" target="_blank" rel="noopener noreferrer">${msg("oauthGrantPolicy")}</a></#if>
                </p>
            </#if>
            <form class="${properties.kcFormClass}" action="${url.oauthAction}" method="post">
                <input type="hidden" name="code" value="${oauth.code}">
                <div class="authority-actions">
                    <button id="kc-login" name="accept" type="submit" class="${properties.kcButtonPrimaryClass}">${msg("doYes")}</button>
                    <button id="kc-cancel" name="cancel" type="submit" class="${properties.kcButtonSecondaryClass}">${msg("doNo")}</button>
                </div>
            </form>
        </div>
    </#if>
</@layout.registrationLayout>
