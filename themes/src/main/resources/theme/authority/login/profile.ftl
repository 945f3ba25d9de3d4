<#-- Seed 001's profile page (/profile). Rendered by the pack's ProfileResource; every change is a POST with the
     session's form token, answered by a redirect back here. -->
<#import "pack-layout.ftl" as layout>
<#-- A moment (an ISO-8601 instant of the data) as people read it, in the page's language (ReadableTime, docs/pages.md):
     recent ones relative with the date and time as title, older ones as date and time in UTC, which
     js/authority-times.js turns into the browser's time zone; the machine value stays in datetime. -->
<#macro when iso><#local t = times.of(iso, lang)><time datetime="${iso}"<#if t.absolute> data-absolute<#else> title="${t.title}"</#if>>${t.text}</time></#macro>
<@layout.page title=msg("authority.profile.title") wide=true scripts=["authority-times.js"]>
    <h1>${msg("authority.profile.title")}</h1>
    <#if error?has_content>
        <p class="authority-error" role="alert" id="profile-error">${error}</p>
    </#if>
    <#if message?has_content>
        <p class="authority-message authority-message-success" role="status" id="profile-message">${message}</p>
    </#if>

    <section aria-labelledby="details-heading">
        <h2 id="details-heading">${msg("authority.profile.details")}</h2>
        <dl id="profile-details">
            <dt>${msg("authority.profile.name")}</dt><dd id="profile-name">${(user.first_name!"")} ${(user.last_name!"")}</dd>
            <dt>${msg("authority.profile.email")}</dt><dd id="profile-email">${(user.email!"")}</dd>
            <dt>${msg("authority.profile.emailVerified")}</dt><dd id="profile-email-verified">${user.email_verified?then(msg("authority.profile.yes"), msg("authority.profile.no"))}</dd>
        </dl>
        <#if !user.email_verified && user.email?has_content>
        <form id="profile-resend-form" action="${resendAction}" method="post">
            <input type="hidden" name="email" value="${user.email}">
            <div class="authority-actions">
                <button type="submit" id="profile-resend" class="authority-button authority-button-secondary authority-button-block">${msg("authority.profile.resend")}</button>
            </div>
        </form>
        </#if>
    </section>

    <section aria-labelledby="mfa-heading">
        <h2 id="mfa-heading">${msg("authority.mfa.title")}</h2>
        <p id="profile-mfa-status">${mfa.enabled?then(msg("authority.profile.mfaOn"), msg("authority.profile.mfaOff"))}<#if mfa.enabled> – ${msg("authority.profile.backupLeft", mfa.backup_codes_remaining)}</#if></p>
        <p><a id="profile-mfa-setup" href="${mfaSetupUrl}">${mfa.enabled?then(msg("authority.profile.mfaReplace"), msg("authority.mfa.turnOn"))}</a></p>
    </section>

    <section aria-labelledby="linked-heading">
        <h2 id="linked-heading">${msg("authority.profile.linked")}</h2>
        <#if linked_accounts?has_content>
        <ul id="profile-linked-accounts">
            <#list linked_accounts as account>
            <li>${account.display_name}: <#if account.linked><#if account.username?has_content>${msg("authority.profile.linkedAs", account.username)}<#else>${msg("authority.profile.linkedPlain")}</#if>
                <form class="authority-inline" action="${profileAction}" method="post">
                    <input type="hidden" name="action" value="unlink">
                    <input type="hidden" name="provider" value="${account.provider}">
                    <input type="hidden" name="csrf_token" value="${csrf_token}">
                    <button type="submit" aria-label="${msg("authority.profile.unlinkLabel", account.display_name)}">${msg("authority.profile.unlink")}</button>
                </form>
                <#else>${msg("authority.profile.notLinked")} – <a href="${account.link_url}" id="link-${account.provider}">${msg("authority.profile.linkIt")}</a></#if></li>
            </#list>
        </ul>
        <#else>
        <p id="profile-no-linked-accounts">${msg("authority.profile.noSocial")}</p>
        </#if>
    </section>

    <section aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">${msg("authority.profile.sessions")}</h2>
        <table id="profile-sessions" class="authority-stacked">
            <caption>${msg("authority.profile.sessionsCaption")}</caption>
            <thead><tr><th scope="col">${msg("authority.profile.device")}</th><th scope="col">${msg("authority.profile.ip")}</th><th scope="col">${msg("authority.profile.started")}</th>
                <th scope="col">${msg("authority.profile.lastActive")}</th><th scope="col">${msg("authority.profile.applications")}</th><th scope="col">${msg("authority.profile.action")}</th></tr></thead>
            <tbody>
            <#list sessions as s>
            <tr<#if s.current> aria-current="true"</#if>>
                <td data-label="${msg("authority.profile.device")}">${(s.browser!msg("authority.profile.unknownBrowser"))}<#if s.os?has_content> ${msg("authority.profile.on")} ${s.os}</#if><#if s.current> <strong>${msg("authority.profile.thisSession")}</strong></#if></td>
                <td data-label="${msg("authority.profile.ip")}">${(s.ip_address!"")}</td>
                <td data-label="${msg("authority.profile.started")}"><@when iso=s.started/></td>
                <td data-label="${msg("authority.profile.lastActive")}"><@when iso=s.last_active/></td>
                <td data-label="${msg("authority.profile.applications")}">${s.applications?join(", ")}</td>
                <td data-label="${msg("authority.profile.action")}"><#if s.current>
                    <form class="authority-inline" action="${signoutAction}" method="post">
                        <button type="submit">${msg("authority.profile.signOut")}</button>
                    </form>
                    <#else>
                    <form class="authority-inline" action="${profileAction}" method="post">
                        <input type="hidden" name="action" value="signout_session">
                        <input type="hidden" name="session_id" value="${s.id}">
                        <input type="hidden" name="csrf_token" value="${csrf_token}">
                        <button type="submit" aria-label="${msg("authority.profile.signOutLabel", (s.ip_address!""), times.of(s.started, lang).text)}">${msg("authority.profile.signOut")}</button>
                    </form>
                    </#if></td>
            </tr>
            </#list>
            </tbody>
        </table>
        <#if more_sessions>
        <p id="profile-more-sessions" class="authority-notice">${msg("authority.profile.moreSessions", sessions?size - 1)}</p>
        </#if>
        <#if (sessions?size > 1)>
        <form id="profile-signout-others-form" action="${profileAction}" method="post">
            <input type="hidden" name="action" value="signout_others">
            <input type="hidden" name="csrf_token" value="${csrf_token}">
            <div class="authority-actions">
                <button type="submit" id="profile-signout-others" class="authority-button authority-button-secondary authority-button-block">${msg("authority.profile.signOutOthers")}</button>
            </div>
        </form>
        </#if>
    </section>

    <section aria-labelledby="applications-heading">
        <h2 id="applications-heading">${msg("authority.profile.apps")}</h2>
        <#if applications?has_content>
        <ul id="profile-applications">
            <#list applications as app>
            <li>${app.name}<#if app.scopes?has_content> – ${app.scopes?join(", ")}</#if><#if app.granted_at?has_content> – ${msg("authority.profile.consentGiven")} <@when iso=app.granted_at/></#if><#if consentUpdated[app.client_id]??>, ${msg("authority.profile.consentUpdated")} <@when iso=consentUpdated[app.client_id]/></#if>
                <form class="authority-inline" action="${profileAction}" method="post">
                    <input type="hidden" name="action" value="revoke_consent">
                    <input type="hidden" name="client_id" value="${app.client_id}">
                    <input type="hidden" name="csrf_token" value="${csrf_token}">
                    <button type="submit" aria-label="${msg("authority.profile.revokeLabel", app.name)}">${msg("authority.profile.revoke")}</button>
                </form></li>
            </#list>
        </ul>
        <#else>
        <p id="profile-no-applications">${msg("authority.profile.noApps")}</p>
        </#if>
    </section>
</@layout.page>
