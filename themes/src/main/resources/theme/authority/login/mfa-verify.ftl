<#-- Seed 001's second sign-in step (/mfa/verify): a TOTP code or a backup code in one field. -->
<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="noindex, nofollow">
    <title>Verify – ${realmName}</title>
    <link rel="stylesheet" href="${resourcesPath}/css/authority.css">
</head>
<body class="authority">
<main class="authority-card">
    <h1>Enter your code</h1>
    <#if error?has_content>
        <p class="authority-error" role="alert" id="mfa-error">${error}</p>
    </#if>
    <form id="mfa-verify-form" action="${verifyAction}" method="post">
        <label for="totp_code">Code from your authenticator app, or a backup code</label>
        <input id="totp_code" name="totp_code" autocomplete="one-time-code" required aria-required="true" autofocus<#if error?has_content> aria-invalid="true" aria-describedby="mfa-error"</#if>>
        <input type="hidden" name="tab_id" value="${tabId}">
        <button type="submit" id="mfa-verify">Verify</button>
    </form>
</main>
</body>
</html>
