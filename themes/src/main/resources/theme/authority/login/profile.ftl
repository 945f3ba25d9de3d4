<#-- Seed 001's profile page (/profile). Rendered by the pack's ProfileResource; every change is a POST with the
     session's form token, answered by a redirect back here. -->
<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="noindex, nofollow">
    <title>Your profile – ${realmName}</title>
    <link rel="stylesheet" href="${resourcesPath}/css/authority.css">
</head>
<body class="authority">
<main class="authority-card authority-wide">
    <h1>Your profile</h1>
    <#if error?has_content>
        <p class="authority-error" role="alert" id="profile-error">${error}</p>
    </#if>
    <#if message?has_content>
        <p role="status" id="profile-message">${message}</p>
    </#if>

    <section aria-labelledby="details-heading">
        <h2 id="details-heading">Details</h2>
        <dl id="profile-details">
            <dt>Name</dt><dd id="profile-name">${(user.first_name!"")} ${(user.last_name!"")}</dd>
            <dt>Email</dt><dd id="profile-email">${(user.email!"")}</dd>
            <dt>Email verified</dt><dd id="profile-email-verified">${user.email_verified?then("Yes", "No")}</dd>
        </dl>
        <#if !user.email_verified && user.email?has_content>
        <form id="profile-resend-form" action="${resendAction}" method="post">
            <input type="hidden" name="email" value="${user.email}">
            <button type="submit" id="profile-resend">Send a verification mail</button>
        </form>
        </#if>
    </section>

    <section aria-labelledby="mfa-heading">
        <h2 id="mfa-heading">Two-factor authentication</h2>
        <p id="profile-mfa-status">${mfa.enabled?then("On", "Off")}<#if mfa.enabled> – backup codes left: ${mfa.backup_codes_remaining}</#if></p>
        <p><a id="profile-mfa-setup" href="${mfaSetupUrl}">${mfa.enabled?then("Replace or turn off two-factor authentication", "Turn on two-factor authentication")}</a></p>
    </section>

    <section aria-labelledby="linked-heading">
        <h2 id="linked-heading">Linked accounts</h2>
        <#if linked_accounts?has_content>
        <ul id="profile-linked-accounts">
            <#list linked_accounts as account>
            <li>${account.display_name}: <#if account.linked>linked<#if account.username?has_content> as ${account.username}</#if>
                <form class="authority-inline" action="${profileAction}" method="post">
                    <input type="hidden" name="action" value="unlink">
                    <input type="hidden" name="provider" value="${account.provider}">
                    <input type="hidden" name="csrf_token" value="${csrf_token}">
                    <button type="submit" aria-label="Unlink ${account.display_name}">Unlink</button>
                </form>
                <#else>not linked – <a href="${linkUrl}">link it in the account console</a></#if></li>
            </#list>
        </ul>
        <#else>
        <p id="profile-no-linked-accounts">This realm offers no social sign-in.</p>
        </#if>
    </section>

    <section aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Active sessions</h2>
        <table id="profile-sessions">
            <caption>Where you are signed in</caption>
            <thead><tr><th scope="col">Device</th><th scope="col">IP address</th><th scope="col">Started</th>
                <th scope="col">Last active</th><th scope="col">Applications</th><th scope="col">Action</th></tr></thead>
            <tbody>
            <#list sessions as s>
            <tr<#if s.current> aria-current="true"</#if>>
                <td>${(s.browser!"Unknown browser")}<#if s.os?has_content> on ${s.os}</#if><#if s.current> <strong>(this session)</strong></#if></td>
                <td>${(s.ip_address!"")}</td>
                <td><time datetime="${s.started}">${s.started}</time></td>
                <td><time datetime="${s.last_active}">${s.last_active}</time></td>
                <td>${s.applications?join(", ")}</td>
                <td><#if s.current>
                    <form class="authority-inline" action="${signoutAction}" method="post">
                        <button type="submit">Sign out</button>
                    </form>
                    <#else>
                    <form class="authority-inline" action="${profileAction}" method="post">
                        <input type="hidden" name="action" value="signout_session">
                        <input type="hidden" name="session_id" value="${s.id}">
                        <input type="hidden" name="csrf_token" value="${csrf_token}">
                        <button type="submit" aria-label="Sign out the session from ${(s.ip_address!"")} started ${s.started}">Sign out</button>
                    </form>
                    </#if></td>
            </tr>
            </#list>
            </tbody>
        </table>
        <#if (sessions?size > 1)>
        <form id="profile-signout-others-form" action="${profileAction}" method="post">
            <input type="hidden" name="action" value="signout_others">
            <input type="hidden" name="csrf_token" value="${csrf_token}">
            <button type="submit" id="profile-signout-others">Sign out all other sessions</button>
        </form>
        </#if>
    </section>

    <section aria-labelledby="applications-heading">
        <h2 id="applications-heading">Applications with access</h2>
        <#if applications?has_content>
        <ul id="profile-applications">
            <#list applications as app>
            <li>${app.name}<#if app.scopes?has_content> – ${app.scopes?join(", ")}</#if>
                <form class="authority-inline" action="${profileAction}" method="post">
                    <input type="hidden" name="action" value="revoke_consent">
                    <input type="hidden" name="client_id" value="${app.client_id}">
                    <input type="hidden" name="csrf_token" value="${csrf_token}">
                    <button type="submit" aria-label="Revoke access of ${app.name}">Revoke access</button>
                </form></li>
            </#list>
        </ul>
        <#else>
        <p id="profile-no-applications">No application has remembered access.</p>
        </#if>
    </section>
</main>
</body>
</html>
