<#-- Seed 001's MFA setup page (/mfa/setup): QR code, secret for manual entry, backup codes shown once. Drawn with
     totp.ftl, like Keycloak's "set up an authenticator app" page (login-config-totp.ftl). -->
<#import "pack-layout.ftl" as layout>
<#import "totp.ftl" as setup>
<@layout.page title=msg("authority.mfa.title")>
    <h1>${msg("authority.mfa.title")}</h1>
    <p id="mfa-status">${msg("authority.mfa.status")} <strong>${mfa_enabled?then(msg("authority.mfa.enabled"), msg("authority.mfa.notEnabled"))}</strong></p>
    <@setup.steps id="mfa-steps">
        <@setup.step text=msg("authority.mfa.scan")>
            <@setup.qr id="mfa-qr" pngBase64=qr_code_png_base64 alt=msg("authority.mfa.qrAlt")/>
        </@setup.step>
        <@setup.step text=msg("authority.mfa.manual")>
            <@setup.secret id="mfa-secret" value=secret/>
            <p><a id="mfa-otpauth" href="${otpauth_uri}">${msg("authority.mfa.openApp")}</a></p>
        </@setup.step>
        <@setup.step text=msg("authority.mfa.backupIntro")>
            <ul id="mfa-backup-codes" class="authority-codes"><#list backup_codes as code><li><code>${code}</code></li></#list></ul>
        </@setup.step>
    </@setup.steps>
    <form id="mfa-enable-form" action="${enableAction}" method="post">
        <label for="totp_code">${msg("authority.mfa.appCode")} <span class="authority-required" aria-hidden="true">*</span></label>
        <input id="totp_code" name="totp_code" type="text" inputmode="numeric" autocomplete="one-time-code" required aria-required="true">
        <#if mfa_enabled>
        <p id="mfa-reauth-hint" class="authority-helper">${msg("authority.mfa.reauthHint")}</p>
        <label for="enable-password">${msg("authority.mfa.password")}</label>
        <input id="enable-password" name="password" type="password" autocomplete="current-password">
        <label for="current_code">${msg("authority.mfa.currentCode")}</label>
        <input id="current_code" name="current_code" type="text" inputmode="numeric" autocomplete="off">
        </#if>
        <input type="hidden" name="csrf_token" value="${csrf_token}">
        <div class="authority-actions">
            <button type="submit" id="mfa-enable" class="authority-button authority-button-primary authority-button-block">${mfa_enabled?then(msg("authority.mfa.replace"), msg("authority.mfa.turnOn"))}</button>
        </div>
    </form>
    <form id="mfa-restart-form" action="${setupAction}" method="post">
        <input type="hidden" name="csrf_token" value="${csrf_token}">
        <div class="authority-actions">
            <button type="submit" id="mfa-restart" class="authority-button authority-button-secondary authority-button-block">${msg("authority.mfa.restart")}</button>
        </div>
    </form>
    <#if mfa_enabled>
    <p>${msg("authority.mfa.backupLeft")} <span id="mfa-backup-remaining">${backup_codes_remaining}</span></p>
    <form id="mfa-disable-form" action="${disableAction}" method="post">
        <label for="password">${msg("authority.mfa.password")} <span class="authority-required" aria-hidden="true">*</span></label>
        <input id="password" name="password" type="password" autocomplete="current-password" required aria-required="true">
        <input type="hidden" name="csrf_token" value="${csrf_token}">
        <div class="authority-actions">
            <button type="submit" id="mfa-disable" class="authority-button authority-button-secondary authority-button-block">${msg("authority.mfa.turnOff")}</button>
        </div>
    </form>
    </#if>
</@layout.page>
