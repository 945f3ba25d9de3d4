<#-- Errors of the MFA setup routes (/mfa/enable, /mfa/disable). -->
<#import "pack-layout.ftl" as layout>
<@layout.page title=msg("authority.mfa.title")>
    <h1>${msg("authority.mfa.title")}</h1>
    <p class="authority-error" role="alert" id="mfa-error">${error}</p>
    <p><a href="${setupUrl}">${msg("authority.mfa.back")}</a></p>
</@layout.page>
