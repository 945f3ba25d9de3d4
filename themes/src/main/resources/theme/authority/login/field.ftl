<#-- The form fields of Keycloak's login pages (the macros keycloak.v2's templates call), accessible: a required field
     is marked for people and for assistive technology (required, aria-required), an error is tied to its field
     (aria-describedby) and aria-invalid is set only when there is one. keycloak.v2 26.7 misses these. -->
<#macro group name label error="" required=false>
<div class="${properties.kcFormGroupClass}">
    <div class="${properties.kcFormGroupLabelClass}">
        <label for="${name}" class="${properties.kcFormLabelClass}"><span class="${properties.kcFormLabelTextClass}">${label}</span><#if required> <span class="${properties.kcInputRequiredClass}" aria-hidden="true">*</span></#if></label>
    </div>
    <#nested>
    <div id="input-error-container-${name}">
        <#if error?has_content>
        <div class="${properties.kcFormHelperTextClass}" aria-live="polite">
            <div class="${properties.kcInputHelperTextClass}">
                <div class="${properties.kcInputHelperTextItemClass} ${properties.kcError}" id="input-error-${name}">
                    <span class="${properties.kcInputErrorMessageClass}">${error}</span>
                </div>
            </div>
        </div>
        </#if>
    </div>
</div>
</#macro>

<#macro errorIcon error="">
<#if error?has_content>
    <span class="${properties.kcFormControlUtilClass}"><span class="${properties.kcInputErrorIconStatusClass}"><i class="${properties.kcInputErrorIconClass}" aria-hidden="true"></i></span></span>
</#if>
</#macro>

<#-- required, aria-required, aria-invalid and aria-describedby of an input -->
<#macro state name required error><#if required> required aria-required="true"</#if><#if error?has_content> aria-invalid="true" aria-describedby="input-error-${name}"</#if></#macro>

<#macro input name label value="" required=false autocomplete="off" fieldName=name error=messagesPerField.get(fieldName) autofocus=false>
<@group name=name label=label error=error required=required>
    <span class="${properties.kcInputClass}<#if error?has_content> ${properties.kcError}</#if>">
        <input id="${name}" name="${name}" value="${value}" type="text" autocomplete="${autocomplete}"<#if autofocus> autofocus</#if><#if autocomplete == "one-time-code"> inputmode="numeric"</#if><@state name=name required=required error=error/>>
        <@errorIcon error=error/>
    </span>
</@group>
</#macro>

<#macro password name label value="" required=false forgotPassword=false fieldName=name error=messagesPerField.get(fieldName) autocomplete="off" autofocus=false>
<@group name=name label=label error=error required=required>
    <div class="${properties.kcInputGroup}">
        <div class="${properties.kcInputGroupItemClass} ${properties.kcFill}">
            <span class="${properties.kcInputClass}<#if error?has_content> ${properties.kcError}</#if>">
                <input id="${name}" name="${name}" value="${value}" type="password" autocomplete="${autocomplete}"<#if autofocus> autofocus</#if><@state name=name required=required error=error/>>
                <@errorIcon error=error/>
            </span>
        </div>
        <div class="${properties.kcInputGroupItemClass}">
            <#-- shows the password; needs Keycloak's passwordVisibility.js, the form works without it -->
            <button class="${properties.kcFormPasswordVisibilityButtonClass}" type="button" aria-label="${msg('showPassword')}" aria-controls="${name}" data-password-toggle
                    data-icon-show="${properties.kcFormPasswordVisibilityIconShow}" data-icon-hide="${properties.kcFormPasswordVisibilityIconHide}"
                    data-label-show="${msg('showPassword')}" data-label-hide="${msg('hidePassword')}" id="${name}-show-password"><i class="${properties.kcFormPasswordVisibilityIconShow}" aria-hidden="true"></i></button>
        </div>
    </div>
    <div class="${properties.kcFormHelperTextClass}" aria-live="polite">
        <div class="${properties.kcInputHelperTextClass}">
            <#nested>
            <#if forgotPassword>
            <div class="${properties.kcInputHelperTextItemClass}"><span class="${properties.kcInputHelperTextItemTextClass}"><a href="${url.loginResetCredentialsUrl}">${msg("doForgotPassword")}</a></span></div>
            </#if>
        </div>
    </div>
</@group>
</#macro>

<#-- A value to copy (recovery codes): shown in full, readable and selectable without JavaScript. -->
<#macro clipboard name label ariaLabel=label value="" readonly=true>
<@group name=name label=label>
    <span class="${properties.kcInputClass}<#if readonly> ${properties.kcFormReadOnlyClass}</#if>">
        <input id="${name}" name="${name}" value="${value}" type="text"<#if readonly> readonly</#if>>
    </span>
</@group>
</#macro>

<#macro checkbox name label value=false required=false>
<div class="${properties.kcCheckboxClass}">
    <input class="${properties.kcCheckboxInputClass}" type="checkbox" id="${name}" name="${name}"<#if value> checked</#if><#if required> required aria-required="true"</#if>>
    <label for="${name}" class="${properties.kcCheckboxLabelClass}">${label}<#if required> <span class="${properties.kcCheckboxLabelRequiredClass}" aria-hidden="true">*</span></#if></label>
</div>
</#macro>
