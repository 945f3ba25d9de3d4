<#-- Errors of the MFA setup routes (/mfa/enable, /mfa/disable). -->
<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="noindex, nofollow">
    <title>${title} – ${realmName}</title>
    <link rel="stylesheet" href="${resourcesPath}/css/authority.css">
</head>
<body class="authority">
<main class="authority-card">
    <h1>${title}</h1>
    <p class="authority-error" role="alert" id="mfa-error">${error}</p>
    <p><a href="${setupUrl}">Back to two-factor authentication</a></p>
</main>
</body>
</html>
