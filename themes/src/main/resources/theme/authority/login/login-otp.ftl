<#-- Keycloak's one-time-code step (the pack's second factor, OtpOrBackupCodeForm: an app's code or a backup code).
     keycloak.v2's page picks one of several authenticator apps with clickable boxes run by an inline script and an
     onclick handler, which the realm's Content-Security-Policy blocks and a keyboard cannot reach; here the choice is
     a group of radio buttons (selectedCredentialId, as Keycloak reads it) and the page needs no script. -->
<#import "template.ftl" as layout>
<#import "field.ftl" as field>
<#import "buttons.ftl" as buttons>
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('totp'); section>
    <#if section = "header">
        ${msg("doLogIn")}
    <#elseif section = "form">
        <form id="kc-otp-login-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
            <#if (otpLogin.userOtpCredentials?size > 1)>
            <fieldset id="kc-otp-credentials" class="${properties.kcFormGroupClass!} authority-choices">
                <legend>${msg("authority.otp.device")}</legend>
                <#list otpLogin.userOtpCredentials as credential>
                <div class="authority-choice">
                    <input type="radio" id="kc-otp-credential-${credential?index}" name="selectedCredentialId" value="${credential.id}"<#if credential.id == (otpLogin.selectedCredentialId!"")> checked</#if>>
                    <label for="kc-otp-credential-${credential?index}"><#if credential.userLabel?has_content>${credential.userLabel}<#else>${msg("authority.otp.device")}</#if></label>
                </div>
                </#list>
            </fieldset>
            <#else>
            <input id="selectedCredentialId" type="hidden" name="selectedCredentialId" value="${otpLogin.selectedCredentialId!''}">
            </#if>

            <@field.input name="otp" label=msg("loginOtpOneTime") autocomplete="one-time-code" fieldName="totp" autofocus=true />

            <@buttons.loginButton />
        </form>
    </#if>
</@layout.registrationLayout>
