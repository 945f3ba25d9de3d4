<#-- Seed 001's MFA setup page (/mfa/setup): QR code, secret for manual entry, backup codes shown once. -->
<#import "pack-layout.ftl" as layout>
<@layout.page title=msg("authority.mfa.title")>
    <h1>${msg("authority.mfa.title")}</h1>
    <p id="mfa-status">${msg("authority.mfa.status")} <strong>${mfa_enabled?then(msg("authority.mfa.enabled"), msg("authority.mfa.notEnabled"))}</strong></p>
    <ol>
        <li>${msg("authority.mfa.scan")}
            <img id="mfa-qr" alt="${msg("authority.mfa.qrAlt")}" src="data:image/png;base64,${qr_code_png_base64}" width="200" height="200"></li>
        <li>${msg("authority.mfa.manual")} <code id="mfa-secret">${secret}</code>
            <br><small><a id="mfa-otpauth" href="${otpauth_uri}">${msg("authority.mfa.openApp")}</a></small></li>
        <li>${msg("authority.mfa.backupIntro")}
            <ul id="mfa-backup-codes"><#list backup_codes as code><li><code>${code}</code></li></#list></ul></li>
    </ol>
    <form id="mfa-enable-form" action="${enableAction}" method="post">
        <label for="totp_code">${msg("authority.mfa.appCode")}</label>
        <input id="totp_code" name="totp_code" inputmode="numeric" autocomplete="one-time-code" required>
        <#if mfa_enabled>
        <p id="mfa-reauth-hint">${msg("authority.mfa.reauthHint")}</p>
        <label for="enable-password">${msg("authority.mfa.password")}</label>
        <input id="enable-password" name="password" type="password" autocomplete="current-password">
        <label for="current_code">${msg("authority.mfa.currentCode")}</label>
        <input id="current_code" name="current_code" inputmode="numeric" autocomplete="off">
        </#if>
        <input type="hidden" name="csrf_token" value="${csrf_token}">
        <button type="submit" id="mfa-enable">${mfa_enabled?then(msg("authority.mfa.replace"), msg("authority.mfa.turnOn"))}</button>
    </form>
    <form id="mfa-restart-form" action="${setupAction}" method="post">
        <input type="hidden" name="csrf_token" value="${csrf_token}">
        <button type="submit" id="mfa-restart">${msg("authority.mfa.restart")}</button>
    </form>
    <#if mfa_enabled>
    <p>${msg("authority.mfa.backupLeft")} <span id="mfa-backup-remaining">${backup_codes_remaining}</span></p>
    <form id="mfa-disable-form" action="${disableAction}" method="post">
        <label for="password">${msg("authority.mfa.password")}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required>
        <input type="hidden" name="csrf_token" value="${csrf_token}">
        <button type="submit" id="mfa-disable">${msg("authority.mfa.turnOff")}</button>
    </form>
    </#if>
</@layout.page>
