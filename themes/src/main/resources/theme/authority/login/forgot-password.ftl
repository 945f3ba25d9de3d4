<#-- Seed 001's /forgot-password: asks for the email; after the POST, the same confirmation whatever the address. -->
<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="noindex, nofollow">
    <title>Reset your password – ${realmName}</title>
    <link rel="stylesheet" href="${resourcesPath}/css/authority.css">
</head>
<body class="authority">
<main class="authority-card">
    <h1>Reset your password</h1>
    <#if sent>
        <p role="status" id="forgot-password-sent">If an account exists for this email address, we sent it a link to choose a new password. The link works once and expires soon.</p>
    <#else>
        <#if error?has_content>
            <p class="authority-error" role="alert" id="forgot-password-error">${error}</p>
        </#if>
        <p>Enter the email address of your account. We will send you a link to choose a new password.</p>
        <form id="forgot-password-form" action="${forgotAction}" method="post">
            <label for="email">Email</label>
            <input id="email" name="email" type="email" autocomplete="email" required aria-required="true" autofocus<#if error?has_content> aria-invalid="true" aria-describedby="forgot-password-error"</#if>>
            <button type="submit" id="forgot-password-submit">Send the link</button>
        </form>
    </#if>
    <p><a href="${signinUrl}" id="back-to-signin">Back to sign-in</a></p>
</main>
</body>
</html>
