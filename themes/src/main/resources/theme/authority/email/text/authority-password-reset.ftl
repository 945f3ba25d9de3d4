<#ftl output_format="plainText">
${msg("authorityGreeting", user.firstName!"")}

${msg("authorityPasswordResetBody", realmName)}

${link}

${msg("authorityLinkExpiry", linkExpiration)}

${msg("authorityApiToken")}
${token}

${msg("authorityPasswordResetIgnore")}
