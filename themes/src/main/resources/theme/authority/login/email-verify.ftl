<#-- The page an email-verification mail links to (/account/email/verify?token=…). Mail scanners fetch links,
     so opening it verifies nothing: the button POSTs the token. -->
<#import "pack-layout.ftl" as layout>
<@layout.page title=msg("authority.verify.title") noReferrer=true>
    <h1>${msg("authority.verify.title")}</h1>
    <#if sent!false>
        <p class="authority-message authority-message-success" role="status" id="email-verify-sent">${msg("authority.verify.sent")}</p>
        <p><a href="${profileUrl}" id="to-profile">${msg("authority.profile.title")}</a></p>
    <#elseif done>
        <p class="authority-message authority-message-success" role="status" id="email-verify-done">${msg("authority.verify.done")}</p>
        <p><a href="${signinUrl}" id="to-signin">${msg("authority.toSignin")}</a></p>
    <#else>
        <#if error?has_content>
            <p class="authority-error" role="alert" id="email-verify-error">${error}</p>
        </#if>
        <#if token?has_content>
            <form id="email-verify-form" action="${verifyAction}" method="post">
                <input type="hidden" name="token" value="${token}">
                <div class="authority-actions">
                    <button type="submit" id="email-verify-submit" class="authority-button authority-button-primary authority-button-block">${msg("authority.verify.submit")}</button>
                </div>
            </form>
        </#if>
    </#if>
</@layout.page>
