<#-- Keycloak's "set up an authenticator app" required action (CONFIGURE_TOTP). keycloak.v2 26.7's page points both
     labels at an element that does not exist (#51206), so its two fields have no label; here each field has its
     label, the required code is marked, and errors are tied to their fields. Same fields and actions as Keycloak's. -->
<#import "template.ftl" as layout>
<#import "field.ftl" as field>
<#import "password-commons.ftl" as passwordCommons>
<@layout.registrationLayout displayRequiredFields=true displayMessage=!messagesPerField.existsError('totp','userLabel'); section>
    <#if section = "header">
        ${msg("loginTotpTitle")}
    <#elseif section = "form">
        <ol id="kc-totp-settings">
            <li>
                <p>${msg("loginTotpStep1")}</p>
                <ul id="kc-totp-supported-apps">
                    <#list totp.supportedApplications as app><li>${msg(app)}</li></#list>
                </ul>
            </li>
            <#if mode?? && mode = "manual">
            <li>
                <p>${msg("loginTotpManualStep2")}</p>
                <p><code id="kc-totp-secret-key">${totp.totpSecretEncoded}</code></p>
                <p><a href="${totp.qrUrl}" id="mode-barcode">${msg("loginTotpScanBarcode")}</a></p>
            </li>
            <li>
                <p>${msg("loginTotpManualStep3")}</p>
                <ul>
                    <li id="kc-totp-type">${msg("loginTotpType")}: ${msg("loginTotp." + totp.policy.type)}</li>
                    <li id="kc-totp-algorithm">${msg("loginTotpAlgorithm")}: ${totp.policy.getAlgorithmKey()}</li>
                    <li id="kc-totp-digits">${msg("loginTotpDigits")}: ${totp.policy.digits}</li>
                    <#if totp.policy.type = "totp"><li id="kc-totp-period">${msg("loginTotpInterval")}: ${totp.policy.period}</li>
                    <#elseif totp.policy.type = "hotp"><li id="kc-totp-counter">${msg("loginTotpCounter")}: ${totp.policy.initialCounter}</li></#if>
                </ul>
            </li>
            <#else>
            <li>
                <p>${msg("loginTotpStep2")}</p>
                <img id="kc-totp-secret-qr-code" src="data:image/png;base64, ${totp.totpSecretQrCode}" alt="${msg("loginTotpStep2")}" width="200" height="200">
                <p><a href="${totp.manualUrl}" id="mode-manual">${msg("loginTotpUnableToScan")}</a></p>
            </li>
            </#if>
            <li>
                <p>${msg("loginTotpStep3")}</p>
                <p>${msg("loginTotpStep3DeviceName")}</p>
            </li>
        </ol>

        <form action="${url.loginAction}" class="${properties.kcFormClass}" id="kc-totp-settings-form" method="post">
            <@field.input name="totp" label=msg("authenticatorCode") required=true autocomplete="one-time-code"/>
            <@field.input name="userLabel" label=msg("loginTotpDeviceName") required=(totp.otpCredentials?size gte 1)/>
            <input type="hidden" id="totpSecret" name="totpSecret" value="${totp.totpSecret}">
            <#if mode??><input type="hidden" id="mode" name="mode" value="${mode}"></#if>
            <@passwordCommons.logoutOtherSessions/>
            <div class="authority-actions">
                <button type="submit" id="saveTOTPBtn" class="${properties.kcButtonPrimaryClass}">${msg("doSubmit")}</button>
                <#if isAppInitiatedAction??>
                <button type="submit" id="cancelTOTPBtn" name="cancel-aia" value="true" class="${properties.kcButtonSecondaryClass}">${msg("doCancel")}</button>
                </#if>
            </div>
        </form>
    </#if>
</@layout.registrationLayout>
