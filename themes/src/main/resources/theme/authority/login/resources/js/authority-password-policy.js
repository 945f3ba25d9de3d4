// The realm's password policy checked as people type a new password (password-validation.ftl): the policy and its
// messages come from the data attributes of #authority-password-policy, the rules from keycloak.v2's password-policy.js;
// the messages go where the page shows the field's errors.
import { validatePassword } from "./password-policy.js";

const data = document.getElementById("authority-password-policy");
const field = data && document.getElementById(data.dataset.field);
if (field) {
    const policies = ["length", "maxLength", "lowerCase", "upperCase", "digits", "specialChars"]
        .map((name) => ({ name, policy: { value: Number(data.dataset[name]), error: data.dataset[name + "Error"] } }))
        .filter((p) => !Number.isNaN(p.policy.value) && p.policy.value !== -1);

    field.addEventListener("change", () => {
        const container = document.getElementById("input-error-container-" + field.id);
        if (!container) {
            return;
        }
        const errors = validatePassword(field.value, policies);
        if (errors.length === 0) {
            container.replaceChildren();
            return;
        }
        const shown = document.getElementById("errorTemplate").content.cloneNode(true);
        const list = shown.querySelector("ul");
        for (const error of errors) {
            const item = document.createElement("li");
            item.textContent = error;
            list.appendChild(item);
        }
        container.replaceChildren(shown);
    });
}
