<#-- Seed 001's sign-in page (/signin). Rendered by the pack's SigninResource; posts back to /signin. -->
<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="noindex, nofollow">
    <title>Sign in to ${realmName}</title>
    <link rel="stylesheet" href="${resourcesPath}/css/authority.css">
</head>
<body class="authority">
<main class="authority-card">
    <h1>Sign in to ${realmName}</h1>
    <#if error?has_content>
        <p class="authority-error" role="alert" id="signin-error">${error}</p>
    </#if>
    <form id="signin-form" action="${signinAction}" method="post">
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="username" required aria-required="true" autofocus<#if error?has_content> aria-invalid="true" aria-describedby="signin-error"</#if>>
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required aria-required="true"<#if error?has_content> aria-invalid="true" aria-describedby="signin-error"</#if>>
        <input type="hidden" name="forward_url" value="${forwardUrl}">
        <input type="hidden" name="csrf_token" value="${csrfToken}">
        <button type="submit" id="signin-submit">Sign in</button>
    </form>
    <p><a href="${forgotPasswordUrl}" id="forgot-password">Forgot your password?</a></p>
</main>
</body>
</html>
