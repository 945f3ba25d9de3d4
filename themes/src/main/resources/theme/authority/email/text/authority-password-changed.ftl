<#ftl output_format="plainText">
${msg("authorityGreeting", user.firstName!"")}

${msg("authorityPasswordChangedBody", realmName)}

${msg("authorityPasswordChangedNotYou")} ${forgotPasswordLink}
