<#-- Setting up an authenticator app, one design for both places a user meets it: the pack's /mfa/setup
     (mfa-setup.ftl) and Keycloak's required action CONFIGURE_TOTP (login-config-totp.ftl). Numbered steps, the QR
     code, the key to type by hand, each drawn by the same macro (styles: .authority-steps, .authority-qr,
     .authority-secret in css/authority.css). -->

<#-- the numbered steps; the items go inside -->
<#macro steps id>
<ol id="${id}" class="authority-steps">
<#nested>
</ol>
</#macro>

<#-- one step: its instruction, then what it shows -->
<#macro step text id="">
<li<#if id?has_content> id="${id}"</#if>>
    <p>${text}</p>
    <#nested>
</li>
</#macro>

<#-- the QR code (a PNG, base64) an app scans -->
<#macro qr id pngBase64 alt>
<img id="${id}" class="authority-qr" src="data:image/png;base64,${pngBase64}" alt="${alt}" width="200" height="200">
</#macro>

<#-- the key for an app that cannot scan, in groups of four as Keycloak and the pack print it -->
<#macro secret id value>
<code id="${id}" class="authority-secret">${value}</code>
</#macro>
