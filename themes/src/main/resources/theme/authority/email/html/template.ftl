<#-- Keycloak's own HTML mails (account linking, actions an administrator asks for, …) in the frame of the pack's
     mails: the layout macro base's templates call. -->
<#import "authority-layout.ftl" as frame>
<#macro emailLayout>
<@frame.mail>
<#nested>
</@frame.mail>
</#macro>
