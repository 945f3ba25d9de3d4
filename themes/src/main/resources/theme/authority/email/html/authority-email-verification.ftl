<#import "authority-layout.ftl" as layout>
<@layout.mail>
<p>${msg("authorityGreeting", user.firstName!"")}</p>
<p>${msg("authorityEmailVerificationBody", realmName)}</p>
<p><a class="button" href="${link}">${msg("authorityEmailVerificationButton")}</a></p>
<p>${msg("authorityLinkExpiry", linkExpiration)}</p>
<p>${msg("authorityApiToken")}</p>
<pre style="white-space: pre-wrap; word-break: break-all;">${token}</pre>
<p>${msg("authorityEmailVerificationIgnore")}</p>
</@layout.mail>
