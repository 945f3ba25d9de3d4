<#-- The live check of the realm's password policy on Keycloak's new-password pages (login-update-password.ftl calls
     these macros): keycloak.v2's writes the policy into an inline script, which the realm's Content-Security-Policy
     (script-src 'self') blocks. Here the policy and its messages are data attributes, read by
     js/authority-password-policy.js with keycloak.v2's own js/password-policy.js; the server checks the policy anyway. -->
<#macro templates>
    <template id="errorTemplate">
        <div class="${properties.kcFormHelperTextClass}" aria-live="polite">
            <div class="${properties.kcInputHelperTextClass}">
                <div class="${properties.kcInputHelperTextItemClass} ${properties.kcError}">
                    <ul class="${properties.kcInputErrorMessageClass}"></ul>
                </div>
            </div>
        </div>
    </template>
</#macro>

<#macro script field="">
    <span hidden id="authority-password-policy" data-field="${field}"
        data-length="${((passwordPolicies.length)!-1)?c}" data-length-error="${msg('invalidPasswordMinLengthMessage')}"
        data-max-length="${((passwordPolicies.maxLength)!-1)?c}" data-max-length-error="${msg('invalidPasswordMaxLengthMessage')}"
        data-lower-case="${((passwordPolicies.lowerCase)!-1)?c}" data-lower-case-error="${msg('invalidPasswordMinLowerCaseCharsMessage')}"
        data-upper-case="${((passwordPolicies.upperCase)!-1)?c}" data-upper-case-error="${msg('invalidPasswordMinUpperCaseCharsMessage')}"
        data-digits="${((passwordPolicies.digits)!-1)?c}" data-digits-error="${msg('invalidPasswordMinDigitsMessage')}"
        data-special-chars="${((passwordPolicies.specialChars)!-1)?c}" data-special-chars-error="${msg('invalidPasswordMinSpecialCharsMessage')}"></span>
    <script type="module" src="${url.resourcesPath}/js/authority-password-policy.js"></script>
</#macro>
