package dev.authoritypack.it.support;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A form client, not a browser: drives Keycloak's login pages over plain HTTP ({@link Http}, its cookie jar), as a
 * browser without JavaScript would — follows redirects, finds forms and hidden inputs with regular expressions,
 * fills the login form, answers the consent form. The real browser is {@link RealBrowser}.
 */
public final class FormClient {

    private static final Pattern FORM = Pattern.compile("<form\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ACTION = Pattern.compile("action=\"([^\"]+)\"", Pattern.CASE_INSENSITIVE);

    private final Http http;

    public FormClient(Http http) {
        this.http = http;
    }

    public Http http() {
        return http;
    }

    /** GETs a URL and follows same-server redirects; stops at a non-redirect answer or at a redirect to {@code stopAt}. */
    public Http.Response open(String url, String stopAt) {
        Http.Response r = http.get(url);
        return follow(r, stopAt);
    }

    public Http.Response follow(Http.Response r, String stopAt) {
        int hops = 0;
        while (r.status() / 100 == 3 && hops++ < 10) {
            String location = r.header("Location");
            if (location == null || (stopAt != null && location.startsWith(stopAt))) {
                return r;
            }
            r = http.get(r.raw().uri().resolve(location).toString());
        }
        return r;
    }

    /** Submits the login form found in a page; returns the answer, redirects followed up to {@code stopAt}. */
    public Http.Response login(Http.Response loginPage, String username, String password, String stopAt) {
        String action = formAction(loginPage.body(), "kc-form-login");
        Http.Response r = http.postForm(action, Map.of("username", username, "password", password, "credentialId", ""));
        return follow(r, stopAt);
    }

    /** Answers Keycloak's consent (or device grant) form with accept or deny. */
    public Http.Response consent(Http.Response page, boolean accept, String stopAt) {
        String action = formAction(page.body(), null);
        Map<String, String> form = new java.util.LinkedHashMap<>(hiddenInputs(page.body()));
        form.put(accept ? "accept" : "cancel", accept ? "Yes" : "No");
        Http.Response r = http.postForm(action, form);
        return follow(r, stopAt);
    }

    private static final Pattern INPUT = Pattern.compile("<input\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ATTR = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    /** The hidden inputs of a page, name to value. */
    public static Map<String, String> hiddenInputs(String html) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        Matcher inputs = INPUT.matcher(html);
        while (inputs.find()) {
            Map<String, String> attrs = new java.util.HashMap<>();
            Matcher a = ATTR.matcher(inputs.group());
            while (a.find()) {
                attrs.put(a.group(1).toLowerCase(java.util.Locale.ROOT), a.group(2).replace("&amp;", "&"));
            }
            if ("hidden".equals(attrs.get("type")) && attrs.containsKey("name")) {
                fields.put(attrs.get("name"), attrs.getOrDefault("value", ""));
            }
        }
        return fields;
    }

    /** The action of the form with the given id (or the first form), HTML-unescaped. */
    public static String formAction(String html, String formId) {
        Matcher forms = FORM.matcher(html);
        while (forms.find()) {
            String tag = forms.group();
            if (formId == null || tag.contains("id=\"" + formId + "\"")) {
                Matcher action = ACTION.matcher(tag);
                if (action.find()) {
                    return action.group(1).replace("&amp;", "&");
                }
            }
        }
        throw new AssertionError("no form" + (formId == null ? "" : " '" + formId + "'") + " in page:\n" + html);
    }
}
