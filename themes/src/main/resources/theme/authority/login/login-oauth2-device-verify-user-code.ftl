<#-- Device activation (/activate of docs/routes.md, Keycloak's device verification page): the code the device shows,
     typed with or without its dash, in any case (Keycloak normalizes it). A wrong or expired code comes back here
     with Keycloak's message. /activate?user_code= fills the code in (prefilledUserCode, set by the pack's
     DocumentedOAuthResource) for the user to compare with the device's and confirm. -->
<#import "template.ftl" as layout>
<#import "field.ftl" as field>
<@layout.registrationLayout displayRequiredFields=true; section>
    <#if section = "header">
        ${msg("oauth2DeviceVerificationTitle")}
    <#elseif section = "form">
        <p id="device-code-hint">${msg("authority.device.hint")}</p>
        <form id="kc-user-verify-device-user-code-form" class="${properties.kcFormClass}" action="${url.oauth2DeviceVerificationAction}" method="post">
            <@field.group name="device_user_code" label=msg("verifyOAuth2DeviceUserCode") required=true>
                <span class="${properties.kcInputClass}">
                    <input id="device_user_code" name="device_user_code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false"
                           value="${prefilledUserCode!''}" autofocus required aria-required="true" aria-describedby="device-code-hint">
                </span>
            </@field.group>
            <div class="authority-actions">
                <button id="kc-login" type="submit" class="${properties.kcButtonPrimaryClass} ${properties.kcButtonBlockClass}">${msg("doSubmit")}</button>
            </div>
        </form>
    </#if>
</@layout.registrationLayout>
