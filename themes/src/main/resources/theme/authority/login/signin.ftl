<#-- Seed 001's sign-in page (/signin). Rendered by the pack's SigninResource; posts back to /signin. -->
<#import "pack-layout.ftl" as layout>
<@layout.page title=msg("authority.signin.title", realmName)>
    <h1>${msg("authority.signin.title", realmName)}</h1>
    <#if error?has_content>
        <p class="authority-error" role="alert" id="signin-error">${error}</p>
    </#if>
    <form id="signin-form" action="${signinAction}" method="post">
        <label for="email">${msg("authority.signin.email")}</label>
        <input id="email" name="email" type="email" autocomplete="username" required aria-required="true" autofocus<#if error?has_content> aria-invalid="true" aria-describedby="signin-error"</#if>>
        <label for="password">${msg("authority.signin.password")}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required aria-required="true"<#if error?has_content> aria-invalid="true" aria-describedby="signin-error"</#if>>
        <input type="hidden" name="forward_url" value="${forwardUrl}">
        <input type="hidden" name="csrf_token" value="${csrfToken}">
        <div class="authority-actions">
            <button type="submit" id="signin-submit" class="authority-button authority-button-primary authority-button-block">${msg("authority.signin.submit")}</button>
        </div>
    </form>
    <p><a href="${forgotPasswordUrl}" id="forgot-password">${msg("authority.signin.forgot")}</a></p>
    <#if (socialProviders!)?has_content>
    <section class="authority-social" aria-labelledby="social-title">
        <h2 id="social-title">${msg("authority.signin.social")}</h2>
        <ul>
            <#list socialProviders as p>
            <li><a class="authority-social-button" id="social-${p.alias}" href="${p.url}">${msg("authority.signin.socialWith", p.name)}</a></li>
            </#list>
        </ul>
    </section>
    </#if>
</@layout.page>
