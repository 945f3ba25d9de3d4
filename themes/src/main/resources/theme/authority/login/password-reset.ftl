<#-- The page a password-reset mail links to (/account/password/confirm?token=…): opening it changes nothing;
     the form POSTs the token with the new password. -->
<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="noindex, nofollow">
    <meta name="referrer" content="no-referrer">
    <title>Choose a new password – ${realmName}</title>
    <link rel="stylesheet" href="${resourcesPath}/css/authority.css">
</head>
<body class="authority">
<main class="authority-card">
    <h1>Choose a new password</h1>
    <#if done>
        <p role="status" id="password-reset-done">Your password was changed and every session of your account was signed out. Sign in with the new password.</p>
        <p><a href="${signinUrl}" id="to-signin">Sign in</a></p>
    <#else>
        <#if error?has_content>
            <p class="authority-error" role="alert" id="password-reset-error">${error}</p>
        </#if>
        <#if token?has_content>
            <form id="password-reset-form" action="${confirmAction}" method="post">
                <input type="hidden" name="token" value="${token}">
                <label for="password">New password</label>
                <input id="password" name="password" type="password" autocomplete="new-password" required aria-required="true" autofocus<#if error?has_content> aria-invalid="true" aria-describedby="password-reset-error"</#if>>
                <label for="password_confirmation">New password, again</label>
                <input id="password_confirmation" name="password_confirmation" type="password" autocomplete="new-password" required aria-required="true">
                <button type="submit" id="password-reset-submit">Change password</button>
            </form>
        <#else>
            <p><a href="${forgotPasswordUrl}" id="new-link">Ask for a new link</a></p>
        </#if>
    </#if>
</main>
</body>
</html>
