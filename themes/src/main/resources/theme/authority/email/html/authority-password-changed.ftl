<#import "authority-layout.ftl" as layout>
<@layout.mail>
<p>${msg("authorityGreeting", user.firstName!"")}</p>
<p>${msg("authorityPasswordChangedBody", realmName)}</p>
<p>${msg("authorityPasswordChangedNotYou")} <a href="${forgotPasswordLink}">${forgotPasswordLink}</a></p>
</@layout.mail>
