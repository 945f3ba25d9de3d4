<#-- The page a password-reset mail links to (/account/password/confirm?token=…): opening it changes nothing;
     the form POSTs the token with the new password. -->
<#import "pack-layout.ftl" as layout>
<@layout.page title=msg("authority.reset.title") noReferrer=true>
    <h1>${msg("authority.reset.title")}</h1>
    <#if done>
        <p class="authority-message authority-message-success" role="status" id="password-reset-done">${msg("authority.reset.done")}</p>
        <p><a href="${signinUrl}" id="to-signin">${msg("authority.toSignin")}</a></p>
    <#else>
        <#if error?has_content>
            <p class="authority-error" role="alert" id="password-reset-error">${error}</p>
        </#if>
        <#if token?has_content>
            <form id="password-reset-form" action="${confirmAction}" method="post">
                <input type="hidden" name="token" value="${token}">
                <label for="password">${msg("authority.reset.password")}</label>
                <input id="password" name="password" type="password" autocomplete="new-password" required aria-required="true" autofocus<#if error?has_content> aria-invalid="true" aria-describedby="password-reset-error"</#if>>
                <label for="password_confirmation">${msg("authority.reset.confirmation")}</label>
                <input id="password_confirmation" name="password_confirmation" type="password" autocomplete="new-password" required aria-required="true">
                <div class="authority-actions">
                    <button type="submit" id="password-reset-submit" class="authority-button authority-button-primary authority-button-block">${msg("authority.reset.submit")}</button>
                </div>
            </form>
        <#else>
            <p><a href="${forgotPasswordUrl}" id="new-link">${msg("authority.reset.newLink")}</a></p>
        </#if>
    </#if>
</@layout.page>
