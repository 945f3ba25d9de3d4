<#-- Keycloak's "set up an authenticator app" required action (CONFIGURE_TOTP). keycloak.v2 26.7's page points both
     labels at an element that does not exist (#51206), so its two fields have no label; here each field has its
     label, the required code is marked, and errors are tied to their fields. Same fields and actions as Keycloak's,
     drawn with totp.ftl like the pack's /mfa/setup (mfa-setup.ftl): the QR code and the key on one page. -->
<#import "template.ftl" as layout>
<#import "field.ftl" as field>
<#import "password-commons.ftl" as passwordCommons>
<#import "totp.ftl" as setup>
<@layout.registrationLayout displayRequiredFields=true displayMessage=!messagesPerField.existsError('totp','userLabel'); section>
    <#if section = "header">
        ${msg("loginTotpTitle")}
    <#elseif section = "form">
        <@setup.steps id="kc-totp-settings">
            <@setup.step text=msg("loginTotpStep1")>
                <ul id="kc-totp-supported-apps">
                    <#list totp.supportedApplications as app><li>${msg(app)}</li></#list>
                </ul>
            </@setup.step>
            <#if !(mode?? && mode = "manual")>
            <@setup.step text=msg("loginTotpStep2")>
                <@setup.qr id="kc-totp-secret-qr-code" pngBase64=totp.totpSecretQrCode alt=msg("loginTotpStep2")/>
            </@setup.step>
            </#if>
            <@setup.step text=msg("loginTotpManualStep2")>
                <@setup.secret id="kc-totp-secret-key" value=totp.totpSecretEncoded/>
                <#if mode?? && mode = "manual">
                <ul>
                    <li id="kc-totp-type">${msg("loginTotpType")}: ${msg("loginTotp." + totp.policy.type)}</li>
                    <li id="kc-totp-algorithm">${msg("loginTotpAlgorithm")}: ${totp.policy.getAlgorithmKey()}</li>
                    <li id="kc-totp-digits">${msg("loginTotpDigits")}: ${totp.policy.digits}</li>
                    <#if totp.policy.type = "totp"><li id="kc-totp-period">${msg("loginTotpInterval")}: ${totp.policy.period}</li>
                    <#elseif totp.policy.type = "hotp"><li id="kc-totp-counter">${msg("loginTotpCounter")}: ${totp.policy.initialCounter}</li></#if>
                </ul>
                <p><a href="${totp.qrUrl}" id="mode-barcode">${msg("loginTotpScanBarcode")}</a></p>
                <#else>
                <p><a href="${totp.manualUrl}" id="mode-manual">${msg("loginTotpUnableToScan")}</a></p>
                </#if>
            </@setup.step>
            <@setup.step text=msg("loginTotpStep3") + " " + msg("loginTotpStep3DeviceName")/>
        </@setup.steps>

        <form action="${url.loginAction}" class="${properties.kcFormClass}" id="kc-totp-settings-form" method="post">
            <@field.input name="totp" label=msg("authenticatorCode") required=true autocomplete="one-time-code"/>
            <@field.input name="userLabel" label=msg("loginTotpDeviceName") required=(totp.otpCredentials?size gte 1)/>
            <input type="hidden" id="totpSecret" name="totpSecret" value="${totp.totpSecret}">
            <#if mode??><input type="hidden" id="mode" name="mode" value="${mode}"></#if>
            <@passwordCommons.logoutOtherSessions/>
            <div class="authority-actions">
                <button type="submit" id="saveTOTPBtn" class="${properties.kcButtonPrimaryClass} ${properties.kcButtonBlockClass}">${msg("doSubmit")}</button>
                <#if isAppInitiatedAction??>
                <button type="submit" id="cancelTOTPBtn" name="cancel-aia" value="true" class="${properties.kcButtonSecondaryClass}">${msg("doCancel")}</button>
                </#if>
            </div>
        </form>
    </#if>
</@layout.registrationLayout>
