<#-- The page an email-verification mail links to (/account/email/verify?token=…). Mail scanners fetch links,
     so opening it verifies nothing: the button POSTs the token. -->
<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="noindex, nofollow">
    <meta name="referrer" content="no-referrer">
    <title>Verify your email address – ${realmName}</title>
    <link rel="stylesheet" href="${resourcesPath}/css/authority.css">
</head>
<body class="authority">
<main class="authority-card">
    <h1>Verify your email address</h1>
    <#if done>
        <p role="status" id="email-verify-done">Your email address is verified.</p>
        <p><a href="${signinUrl}" id="to-signin">Sign in</a></p>
    <#else>
        <#if error?has_content>
            <p class="authority-error" role="alert" id="email-verify-error">${error}</p>
        </#if>
        <#if token?has_content>
            <form id="email-verify-form" action="${verifyAction}" method="post">
                <input type="hidden" name="token" value="${token}">
                <button type="submit" id="email-verify-submit">Verify my email address</button>
            </form>
        </#if>
    </#if>
</main>
</body>
</html>
