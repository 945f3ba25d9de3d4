<#-- Seed 001's /forgot-password: asks for the email; after the POST, the same confirmation whatever the address. -->
<#import "pack-layout.ftl" as layout>
<@layout.page title=msg("authority.forgot.title")>
    <h1>${msg("authority.forgot.title")}</h1>
    <#if sent>
        <p class="authority-message authority-message-success" role="status" id="forgot-password-sent">${msg("authority.forgot.sent")}</p>
    <#else>
        <#if error?has_content>
            <p class="authority-error" role="alert" id="forgot-password-error">${error}</p>
        </#if>
        <p>${msg("authority.forgot.intro")}</p>
        <form id="forgot-password-form" action="${forgotAction}" method="post">
            <label for="email">${msg("authority.signin.email")}</label>
            <input id="email" name="email" type="email" autocomplete="email" required aria-required="true" autofocus<#if error?has_content> aria-invalid="true" aria-describedby="forgot-password-error"</#if>>
            <div class="authority-actions">
                <button type="submit" id="forgot-password-submit" class="authority-button authority-button-primary authority-button-block">${msg("authority.forgot.submit")}</button>
            </div>
        </form>
    </#if>
    <p><a href="${signinUrl}" id="back-to-signin">${msg("authority.backToSignin")}</a></p>
</@layout.page>
