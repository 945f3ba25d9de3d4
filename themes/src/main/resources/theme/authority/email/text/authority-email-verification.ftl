<#ftl output_format="plainText">
${msg("authorityGreeting", user.firstName!"")}

${msg("authorityEmailVerificationBody", realmName)}

${link}

${msg("authorityLinkExpiry", linkExpiration)}

${msg("authorityApiToken")}
${token}

${msg("authorityEmailVerificationIgnore")}
