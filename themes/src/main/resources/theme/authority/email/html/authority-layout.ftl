<#-- The frame of the pack's HTML mails: the look of the authority login pages. -->
<#macro mail>
<!DOCTYPE html>
<html lang="${locale.language}" dir="${(ltr)?then('ltr','rtl')}">
<#-- Keycloak passes the subject to mail templates from 26.5; on 26.4 the title is the realm's name (docs/upgrading.md) -->
<head><meta charset="utf-8"><title>${subject!realmName}</title></head>
<body style="font-family: system-ui, sans-serif; background: #f4f5f7; margin: 0; padding: 2rem;">
<div class="authority-mail" style="max-width: 32rem; margin: 0 auto; background: #fff; padding: 2rem; border-radius: 8px;">
<h1 style="font-size: 1.25rem;">${realmName}</h1>
<#nested>
</div>
</body>
</html>
</#macro>
