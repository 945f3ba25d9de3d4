<#-- Seed 001's MFA setup page (/mfa/setup): QR code, secret for manual entry, backup codes shown once. -->
<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="noindex, nofollow">
    <title>Two-factor authentication – ${realmName}</title>
    <link rel="stylesheet" href="${resourcesPath}/css/authority.css">
</head>
<body class="authority">
<main class="authority-card">
    <h1>Two-factor authentication</h1>
    <p id="mfa-status">Status: <strong>${mfa_enabled?then("enabled", "not enabled")}</strong></p>
    <ol>
        <li>Scan this QR code with your authenticator app:
            <img id="mfa-qr" alt="QR code for your authenticator app" src="data:image/png;base64,${qr_code_png_base64}" width="200" height="200"></li>
        <li>Or enter this key by hand: <code id="mfa-secret">${secret}</code>
            <br><small><a id="mfa-otpauth" href="${otpauth_uri}">open in an authenticator app</a></small></li>
        <li>Keep these backup codes somewhere safe. Each works once, in any order, when you have no phone at hand.
            They are shown only now.
            <ul id="mfa-backup-codes"><#list backup_codes as code><li><code>${code}</code></li></#list></ul></li>
    </ol>
    <form id="mfa-enable-form" action="${enableAction}" method="post">
        <label for="totp_code">Code from the app</label>
        <input id="totp_code" name="totp_code" inputmode="numeric" autocomplete="one-time-code" required>
        <#if mfa_enabled>
        <p id="mfa-reauth-hint">Two-factor authentication is already on. To replace it, confirm it is you with your
            password or a code of your current authenticator (or a backup code).</p>
        <label for="enable-password">Password</label>
        <input id="enable-password" name="password" type="password" autocomplete="current-password">
        <label for="current_code">Or a code of your current authenticator</label>
        <input id="current_code" name="current_code" inputmode="numeric" autocomplete="off">
        </#if>
        <input type="hidden" name="csrf_token" value="${csrf_token}">
        <button type="submit" id="mfa-enable">${mfa_enabled?then("Replace two-factor authentication", "Turn on two-factor authentication")}</button>
    </form>
    <form id="mfa-restart-form" action="${setupAction}" method="post">
        <input type="hidden" name="csrf_token" value="${csrf_token}">
        <button type="submit" id="mfa-restart">Show a new key and new backup codes</button>
    </form>
    <#if mfa_enabled>
    <p>Backup codes left: <span id="mfa-backup-remaining">${backup_codes_remaining}</span></p>
    <form id="mfa-disable-form" action="${disableAction}" method="post">
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required>
        <input type="hidden" name="csrf_token" value="${csrf_token}">
        <button type="submit" id="mfa-disable">Turn off two-factor authentication</button>
    </form>
    </#if>
</main>
</body>
</html>
