<#-- Seed 001's /mfa/verify: the second step of a /signin of a user with MFA. -->
<#import "pack-layout.ftl" as layout>
<@layout.page title=msg("authority.mfa.verifyTitle")>
    <h1>${msg("authority.mfa.verifyTitle")}</h1>
    <#if error?has_content>
        <p class="authority-error" role="alert" id="mfa-error">${error}</p>
    </#if>
    <form id="mfa-verify-form" action="${verifyAction}" method="post">
        <label for="totp_code">${msg("authority.mfa.code")}</label>
        <input id="totp_code" name="totp_code" autocomplete="one-time-code" required aria-required="true" autofocus<#if error?has_content> aria-invalid="true" aria-describedby="mfa-error"</#if>>
        <input type="hidden" name="tab_id" value="${tabId}">
        <div class="authority-actions">
            <button type="submit" id="mfa-verify" class="authority-button authority-button-primary authority-button-block">${msg("authority.mfa.verify")}</button>
        </div>
    </form>
</@layout.page>
